import { randomUUID } from "node:crypto";
import type { Prisma } from "./prisma";

export type ChannelKind = "slack" | "webhook";
export interface Channel { id: string; name: string; kind: ChannelKind; url: string; secret?: string }
export type NewChannel = Omit<Channel, "id">;

type ChannelRow = Awaited<ReturnType<Prisma["alertChannel"]["findFirstOrThrow"]>>;

const fromRow = (r: ChannelRow): Channel =>
  ({ id: r.id, name: r.name, kind: r.kind as ChannelKind, url: r.url, ...(r.secret ? { secret: r.secret } : {}) });

export async function listChannels(db: Prisma): Promise<Channel[]> {
  return (await db.alertChannel.findMany({ orderBy: { createdMs: "asc" } })).map(fromRow);
}

export async function getChannel(db: Prisma, id: string): Promise<Channel | undefined> {
  const row = await db.alertChannel.findUnique({ where: { id } });
  return row ? fromRow(row) : undefined;
}

export async function createChannel(db: Prisma, c: NewChannel, now = Date.now()): Promise<Channel> {
  return fromRow(await db.alertChannel.create({ data: { id: randomUUID(), name: c.name, kind: c.kind, url: c.url, secret: c.secret ?? null, createdMs: now } }));
}

/** Deletes the channel; messages still waiting for it are marked failed so the history says why. */
export async function deleteChannel(db: Prisma, id: string): Promise<boolean> {
  const [, { count }] = await db.$transaction([
    db.alertDelivery.updateMany({ where: { channelId: id, status: "pending" }, data: { status: "failed", lastError: "channel deleted" } }),
    db.alertChannel.deleteMany({ where: { id } }),
  ]);
  return count > 0;
}
