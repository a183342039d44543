"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const SETTINGS_PAGES: ReadonlyArray<{ href: string; label: string }> = [
  { href: "/settings/alerts", label: "Alert channels" },
  { href: "/settings/scrape", label: "Scrape targets" },
  { href: "/settings/resources", label: "Resources" },
];

/** The tabs of the settings area, above each settings page. */
export function SettingsNav() {
  const pathname = usePathname() ?? "";
  return (
    <nav className="settings-nav" aria-label="Settings">
      <ul>
        {SETTINGS_PAGES.map((p) => {
          const active = pathname === p.href || pathname.startsWith(`${p.href}/`);
          return (
            <li key={p.href}>
              <Link href={p.href} className={active ? "active" : undefined} aria-current={active ? "page" : undefined}>
                {p.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
