import { TraceView } from "@/components/TraceView";

export async function generateMetadata({ params }: { params: Promise<{ traceId: string }> }) {
  const { traceId } = await params;
  return { title: `Trace ${traceId.slice(0, 12)}` };
}

// The trace is fetched in the browser from GET /api/traces/:traceId.
export default async function TracePage({ params }: { params: Promise<{ traceId: string }> }) {
  const { traceId } = await params;
  return <TraceView traceId={traceId} />;
}
