import { Suspense } from "react";
import { BottleneckList, BottleneckLoading } from "@/components/BottleneckList";

export const metadata = { title: "Bottlenecks" };

// The list reads `?window=` with useSearchParams and fetches /api/bottlenecks in the browser,
// so it sits inside a Suspense boundary.
export default function BottlenecksPage() {
  return (
    <Suspense fallback={<BottleneckLoading />}>
      <BottleneckList />
    </Suspense>
  );
}
