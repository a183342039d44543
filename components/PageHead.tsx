import type { ReactNode } from "react";

/** The page title with its subtitle and, on the right, the page's actions. */
export function PageHead({ title, subtitle, actions, titleClassName }: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  titleClassName?: string;
}) {
  return (
    <div className="page-head">
      <div>
        <h1 className={titleClassName}>{title}</h1>
        {subtitle != null && <p className="muted subtitle">{subtitle}</p>}
      </div>
      {actions}
    </div>
  );
}
