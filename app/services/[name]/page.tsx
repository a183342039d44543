import { Suspense } from "react";
import { LoadingSkeleton } from "@/components/ServicesOverview";
import { ServiceDetail } from "@/components/ServiceDetail";
import "./service.css";

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props) {
  return { title: decodeURIComponent((await params).name) };
}

// The detail reads `?window=` with useSearchParams and fetches everything in the browser,
// so it sits inside a Suspense boundary.
export default async function ServicePage({ params }: Props) {
  const name = decodeURIComponent((await params).name);
  return (
    <Suspense fallback={<LoadingSkeleton label={`Loading ${name}…`} />}>
      <ServiceDetail name={name} />
    </Suspense>
  );
}
