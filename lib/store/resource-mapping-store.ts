import { randomUUID } from "node:crypto";
import type { ResourceKind, ResourceMappingDef } from "../analysis/resource-types";
import type { Prisma } from "./prisma";

type Row = Awaited<ReturnType<Prisma["resourceMapping"]["findFirstOrThrow"]>>;

const fromRow = (r: Row): ResourceMappingDef => ({
  id: r.id, name: r.name, kind: r.kind as ResourceKind, services: JSON.parse(r.services) as string[],
  usageMetric: r.usageMetric, usageLabels: JSON.parse(r.usageLabels) as Record<string, string>,
  ...(r.capacityMetric === null ? {} : { capacityMetric: r.capacityMetric }), capacityLabels: JSON.parse(r.capacityLabels) as Record<string, string>,
  ...(r.capacityConstant === null ? {} : { capacityConstant: r.capacityConstant }),
});

export async function listResourceMappings(db: Prisma): Promise<ResourceMappingDef[]> {
  return (await db.resourceMapping.findMany({ orderBy: { name: "asc" } })).map(fromRow);
}

export async function createResourceMapping(db: Prisma, m: Omit<ResourceMappingDef, "id">, now = Date.now()): Promise<ResourceMappingDef> {
  return fromRow(await db.resourceMapping.create({ data: {
    id: randomUUID(), name: m.name, kind: m.kind, services: JSON.stringify(m.services), usageMetric: m.usageMetric, usageLabels: JSON.stringify(m.usageLabels),
    capacityMetric: m.capacityMetric ?? null, capacityLabels: JSON.stringify(m.capacityLabels), capacityConstant: m.capacityConstant ?? null, createdMs: now,
  } }));
}

export async function deleteResourceMapping(db: Prisma, id: string): Promise<boolean> {
  return (await db.resourceMapping.deleteMany({ where: { id } })).count > 0;
}
