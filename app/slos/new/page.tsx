import Link from "next/link";
import { SloForm } from "@/components/SloForm";

export const metadata = { title: "New SLO" };

export default function NewSloPage() {
  return (
    <div className="slos">
      <div className="page-head">
        <div>
          <h1>New SLO</h1>
          <p className="muted subtitle">
            What share of requests to a service must be good, over which window, and when to alert.{" "}
            <Link href="/slos">← All SLOs</Link>
          </p>
        </div>
      </div>
      <SloForm />
    </div>
  );
}
