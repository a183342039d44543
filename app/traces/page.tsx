import { Suspense } from "react";
import { TraceSearch } from "@/components/TraceSearch";

export const metadata = { title: "Traces" };

// The search reads its filters from the URL with useSearchParams and fetches from the JSON API
// in the browser, so it sits inside a Suspense boundary.
export default function TracesPage() {
  return (
    <Suspense
      fallback={
        <p className="muted card" role="status">
          Loading trace search…
        </p>
      }
    >
      <TraceSearch />
    </Suspense>
  );
}
