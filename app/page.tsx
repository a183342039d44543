import { Suspense } from "react";
import { LoadingSkeleton, ServicesOverview } from "@/components/ServicesOverview";

export const metadata = { title: "Services" };

// The page shell is static; the overview reads `?window=` with useSearchParams and fetches
// everything from the JSON API in the browser, so it sits inside a Suspense boundary.
export default function HomePage() {
  return (
    <Suspense fallback={<LoadingSkeleton />}>
      <ServicesOverview />
    </Suspense>
  );
}
