import type { ReactNode } from "react";
import "./traces.css";

export default function TracesLayout({ children }: { children: ReactNode }) {
  return children;
}
