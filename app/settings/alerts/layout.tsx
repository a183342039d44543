import type { ReactNode } from "react";
// The alert pages share the SLO pages' stylesheet: same badges, tables and forms.
import "../../slos/slos.css";

export default function AlertSettingsLayout({ children }: { children: ReactNode }) {
  return children;
}
