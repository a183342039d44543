/** A column heading; `{ num: "Samples" }` for a right-aligned figure column. */
export type Column = string | { num: string };

/** The app's data table: one scoped heading per column, then the rows given as children. */
export function DataTable({ columns, testId, className, children }: {
  columns: Column[];
  testId?: string;
  /** Classes besides data-table. */
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <table className={className ? `data-table ${className}` : "data-table"} data-testid={testId}>
      <thead>
        <tr>
          {columns.map((c) =>
            typeof c === "string" ? (
              <th key={c} scope="col">
                {c}
              </th>
            ) : (
              <th key={c.num} scope="col" className="num">
                {c.num}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
