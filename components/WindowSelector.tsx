"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { WINDOWS, WINDOW_LABELS, type WindowName } from "./api";

/**
 * The time-window switch. The window lives in the URL (`?window=6h`) so that a view can be
 * linked; each option is a real link that keeps the other query parameters.
 */
export function WindowSelector({ value }: { value: WindowName }) {
  const pathname = usePathname() ?? "/";
  const searchParams = useSearchParams();

  const hrefFor = (w: WindowName) => {
    const params = new URLSearchParams(searchParams?.toString() ?? "");
    params.set("window", w);
    return `${pathname}?${params.toString()}`;
  };

  return (
    <div className="segmented" role="group" aria-label="Time window">
      {WINDOWS.map((w) => (
        <Link
          key={w}
          href={hrefFor(w)}
          replace
          scroll={false}
          className={w === value ? "active" : undefined}
          aria-current={w === value ? "true" : undefined}
          title={`Show the ${WINDOW_LABELS[w]}`}
          data-window={w}
        >
          {w}
        </Link>
      ))}
    </div>
  );
}
