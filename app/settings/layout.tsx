import type { ReactNode } from "react";
import { SettingsNav } from "@/components/SettingsNav";
// The settings pages share the SLO pages' stylesheet: same badges, tables and forms.
import "../slos/slos.css";
import "./settings.css";

export default function SettingsLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <SettingsNav />
      {children}
    </>
  );
}
