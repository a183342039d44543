"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** Top-level pages; `section` is the path prefix an entry stands for when it is not its own href. */
export const NAV_ITEMS: ReadonlyArray<{ href: string; label: string; section?: string }> = [
  { href: "/", label: "Services" },
  { href: "/traces", label: "Traces" },
  { href: "/bottlenecks", label: "Bottlenecks" },
  { href: "/recommendations", label: "Recommendations" },
  { href: "/slos", label: "SLOs" },
  { href: "/alerts", label: "Alerts" },
  { href: "/settings/alerts", label: "Settings", section: "/settings" },
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
            const active = isActive(pathname, item.section ?? item.href);
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
