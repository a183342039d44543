import { Suspense } from "react";
import { Recommendations, RecommendationsLoading } from "@/components/Recommendations";
import "./recommendations.css";

export const metadata = { title: "Recommendations" };

// The list reads `?window=` with useSearchParams and fetches /api/recommendations in the browser,
// so it sits inside a Suspense boundary.
export default function RecommendationsPage() {
  return (
    <Suspense fallback={<RecommendationsLoading />}>
      <Recommendations />
    </Suspense>
  );
}
