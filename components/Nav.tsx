"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** Top-level pages. Add an entry here when a page lands (Bottlenecks, SLOs, Alerts…). */
export const NAV_ITEMS: ReadonlyArray<{ href: string; label: string }> = [
  { href: "/", label: "Services" },
  { href: "/traces", label: "Traces" },
  { href: "/bottlenecks", label: "Bottlenecks" },
  { href: "/slos", label: "SLOs" },
  { href: "/alerts", label: "Alerts" },
  { href: "/settings/alerts", label: "Settings" },
];

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

export function Nav() {
  const pathname = usePathname() ?? "/";
  return (
    <header className="topbar">
      <nav className="topbar-inner" aria-label="Main">
        <Link href="/" className="brand">
          Pinchpoint
        </Link>
        <ul className="nav-links">
          {NAV_ITEMS.map((item) => {
            const active = isActive(pathname, item.href);
            return (
              <li key={item.href}>
                <Link href={item.href} className={active ? "active" : undefined} aria-current={active ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
    </header>
  );
}
