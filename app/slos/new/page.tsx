import Link from "next/link";
import { PageHead } from "@/components/PageHead";
import { SloForm } from "@/components/SloForm";

export const metadata = { title: "New SLO" };

export default function NewSloPage() {
  return (
    <div className="slos">
      <PageHead
        title="New SLO"
        subtitle={
          <>
            What share of requests to a service must be good, over which window, and when to alert.{" "}
            <Link href="/slos">← All SLOs</Link>
          </>
        }
      />
      <SloForm />
    </div>
  );
}
