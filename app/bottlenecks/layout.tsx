import type { ReactNode } from "react";
import "./bottlenecks.css";

export default function BottlenecksLayout({ children }: { children: ReactNode }) {
  return children;
}
