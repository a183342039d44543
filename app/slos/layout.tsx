import type { ReactNode } from "react";
import "./slos.css";

export default function SlosLayout({ children }: { children: ReactNode }) {
  return children;
}
