"use client";

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { formatDuration, formatDurationAxis } from "./format";
import { serviceColor } from "./serviceColor";
import type { CriticalSection, TraceSpan } from "./traceTypes";

/** Every row has the same height, so row i sits at i × ROW_H and only visible rows render. */
export const ROW_H = 28;
const OVERSCAN = 12;
const INDENT_PX = 14;
const MAX_INDENT_LEVELS = 16;
const AXIS_TICKS = [0, 0.25, 0.5, 0.75, 1];

export const SKEW_TOOLTIP =
  "Clock skew: this span starts before or ends after its parent on another service, so the two hosts' clocks disagree. Its position relative to the parent is not exact.";

interface TreeNode {
  span: TraceSpan;
  children: TreeNode[];
  descendants: number;
}

export interface Row {
  span: TraceSpan;
  depth: number;
  childCount: number;
  descendants: number;
}

/** Spans nested by parent (children by start time); spans whose parent is absent are roots. */
export function buildTree(spans: TraceSpan[]): TreeNode[] {
  const nodes = new Map<string, TreeNode>();
  for (const s of spans) if (!nodes.has(s.spanId)) nodes.set(s.spanId, { span: s, children: [], descendants: 0 });
  const roots: TreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.span.parentSpanId ? nodes.get(node.span.parentSpanId) : undefined;
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  const byStart = (a: TreeNode, b: TreeNode) => a.span.startMs - b.span.startMs || a.span.name.localeCompare(b.span.name);
  roots.sort(byStart);
  // Iterative post-order: sort children and count descendants without recursion (deep traces).
  const order: TreeNode[] = [];
  const stack = [...roots];
  while (stack.length) {
    const n = stack.pop()!;
    order.push(n);
    for (const c of n.children) stack.push(c);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i];
    n.children.sort(byStart);
    n.descendants = n.children.reduce((sum, c) => sum + 1 + c.descendants, 0);
  }
  return roots;
}

/** Depth-first rows, skipping the subtrees of collapsed spans. */
export function flatten(roots: TreeNode[], collapsed: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const stack: Array<{ node: TreeNode; depth: number }> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ node: roots[i], depth: 0 });
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    rows.push({ span: node.span, depth, childCount: node.children.length, descendants: node.descendants });
    if (collapsed.has(node.span.spanId)) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i], depth: depth + 1 });
  }
  return rows;
}

interface Props {
  spans: TraceSpan[];
  criticalPath: CriticalSection[];
  traceStartMs: number;
  traceDurationMs: number;
  selectedId: string | null;
  onSelect: (spanId: string) => void;
}

/**
 * The trace waterfall: one row per span nested by parent, a bar per span on the trace's time
 * axis, critical-path sections drawn dark over the bars. Rows are virtualised (fixed height,
 * absolute positions, only the rows in view plus an overscan are in the DOM) so that a trace
 * of 10,000 spans scrolls smoothly.
 */
export function Waterfall({ spans, criticalPath, traceStartMs, traceDurationMs, selectedId, onSelect }: Props) {
  const tree = useMemo(() => buildTree(spans), [spans]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [criticalOnly, setCriticalOnly] = useState(false);
  const rows = useMemo(() => flatten(tree, collapsed), [tree, collapsed]);

  const sectionsBySpan = useMemo(() => {
    const m = new Map<string, CriticalSection[]>();
    for (const s of criticalPath) {
      const list = m.get(s.spanId);
      if (list) list.push(s);
      else m.set(s.spanId, [s]);
    }
    return m;
  }, [criticalPath]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(600);

  // The header's time axis lines up with the rows: pad it by the scrollbar's width.
  const [scrollbarW, setScrollbarW] = useState(0);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => {
      setViewHeight(el.clientHeight);
      setScrollbarW(el.offsetWidth - el.clientWidth);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const total = rows.length;
  const first = Math.max(0, Math.floor(scrollTop / ROW_H) - OVERSCAN);
  const last = Math.min(total, Math.ceil((scrollTop + viewHeight) / ROW_H) + OVERSCAN);
  const visible = rows.slice(first, last);

  const duration = traceDurationMs > 0 ? traceDurationMs : 1;
  const pct = (ms: number) => ((ms - traceStartMs) / duration) * 100;

  const toggle = useCallback((spanId: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(spanId)) next.delete(spanId);
      else next.add(spanId);
      return next;
    });
  }, []);

  const selectedIndex = selectedId ? rows.findIndex((r) => r.span.spanId === selectedId) : -1;

  // Keep the selected row in view when it moves by keyboard.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_H;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_H > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_H - el.clientHeight;
  }, [selectedIndex]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const cur = selectedIndex < 0 ? -1 : selectedIndex;
    const row = cur >= 0 ? rows[cur] : null;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      onSelect(rows[Math.min(rows.length - 1, cur + 1)].span.spanId);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      onSelect(rows[Math.max(0, cur - 1)].span.spanId);
    } else if (e.key === "ArrowLeft" && row && row.childCount > 0 && !collapsed.has(row.span.spanId)) {
      e.preventDefault();
      toggle(row.span.spanId);
    } else if (e.key === "ArrowRight" && row && collapsed.has(row.span.spanId)) {
      e.preventDefault();
      toggle(row.span.spanId);
    } else if (e.key === "Home") {
      e.preventDefault();
      onSelect(rows[0].span.spanId);
    } else if (e.key === "End") {
      e.preventDefault();
      onSelect(rows[rows.length - 1].span.spanId);
    }
  };

  const collapseAll = () => {
    const next = new Set<string>();
    for (const r of tree) for (const c of r.children) if (c.children.length > 0) next.add(c.span.spanId);
    setCollapsed(next);
  };

  return (
    <section className="card waterfall-card" aria-label="Waterfall">
      <div className="wf-toolbar">
        <h2>Waterfall</h2>
        <span className="muted small">
          {rows.length.toLocaleString("en-US")} of {spans.length.toLocaleString("en-US")} spans shown · click a span for details
          · ↑/↓ to move, ←/→ to collapse/expand
        </span>
        <div className="wf-actions">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={criticalOnly}
              onChange={(e) => setCriticalOnly(e.target.checked)}
              data-testid="critical-only"
            />
            <span>Show critical path only</span>
          </label>
          <button type="button" className="button small" onClick={collapseAll}>
            Collapse all
          </button>
          <button type="button" className="button small" onClick={() => setCollapsed(new Set())} disabled={collapsed.size === 0}>
            Expand all
          </button>
        </div>
      </div>
      <div className="wf-legend muted small">
        <span>
          <span className="legend-bar" aria-hidden="true" /> span duration
        </span>
        <span>
          <span className="legend-crit" aria-hidden="true" /> on the critical path (the time the trace waits on this span)
        </span>
        <span>
          <span className="legend-err" aria-hidden="true" /> error status
        </span>
      </div>

      <div className="wf-header" aria-hidden="true" style={{ paddingRight: scrollbarW }}>
        <div className="wf-label">Span</div>
        <div className="wf-self" title="Self time: time in this span not covered by its children">
          Self
        </div>
        <div className="wf-axis">
          {AXIS_TICKS.map((t) => (
            <span key={t} className="wf-tick" style={t === 1 ? { right: 0 } : { left: `${t * 100}%` }}>
              {formatDurationAxis(t * traceDurationMs)}
            </span>
          ))}
        </div>
      </div>

      <div
        ref={scrollRef}
        className={criticalOnly ? "wf-scroll critical-only" : "wf-scroll"}
        style={{ height: `min(${Math.max(total, 1) * ROW_H + 2}px, 68vh)` }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        tabIndex={0}
        role="tree"
        aria-label="Spans of the trace"
        aria-activedescendant={selectedId ? `row-${selectedId}` : undefined}
        onKeyDown={onKeyDown}
        data-testid="waterfall"
      >
        <div className="wf-inner" style={{ height: total * ROW_H }}>
          <div className="wf-grid" aria-hidden="true">
            {AXIS_TICKS.map((t) => (
              <span key={t} style={{ left: `${t * 100}%` }} />
            ))}
          </div>
          {visible.map((row, i) => {
            const index = first + i;
            const s = row.span;
            const color = serviceColor(s.service);
            const left = pct(s.startMs);
            const width = (Math.max(0, s.durationMs) / duration) * 100;
            const end = left + width;
            const sections = sectionsBySpan.get(s.spanId) ?? [];
            const isCollapsed = collapsed.has(s.spanId);
            const isError = s.status === "error";
            const cls = [
              "wf-row",
              index % 2 ? "odd" : "",
              s.spanId === selectedId ? "selected" : "",
              isError ? "error" : "",
              criticalOnly && !s.onCriticalPath ? "dimmed" : "",
            ]
              .filter(Boolean)
              .join(" ");
            return (
              <div
                key={s.spanId}
                id={`row-${s.spanId}`}
                className={cls}
                style={{ top: index * ROW_H, height: ROW_H }}
                role="treeitem"
                aria-level={row.depth + 1}
                aria-expanded={row.childCount > 0 ? !isCollapsed : undefined}
                aria-selected={s.spanId === selectedId}
                data-testid="span-row"
                data-span-id={s.spanId}
                data-critical={s.onCriticalPath ? "true" : "false"}
                onClick={() => onSelect(s.spanId)}
              >
                <div className="wf-label" style={{ paddingLeft: 4 + Math.min(row.depth, MAX_INDENT_LEVELS) * INDENT_PX }}>
                  {row.childCount > 0 ? (
                    <button
                      type="button"
                      className="wf-toggle"
                      tabIndex={-1}
                      aria-label={isCollapsed ? `Expand ${row.descendants} hidden spans` : "Collapse subtree"}
                      title={isCollapsed ? `Expand (${row.descendants} spans hidden)` : "Collapse subtree"}
                      onClick={(e) => {
                        e.stopPropagation();
                        toggle(s.spanId);
                      }}
                    >
                      {isCollapsed ? "▸" : "▾"}
                    </button>
                  ) : (
                    <span className="wf-toggle-spacer" />
                  )}
                  {row.depth > MAX_INDENT_LEVELS && <span className="wf-depth" title={`depth ${row.depth}`}>{row.depth}</span>}
                  <span className="svc-dot" style={{ background: color }} aria-hidden="true" />
                  {isError && (
                    <span className="wf-err-icon" title={`Error${s.statusMessage ? `: ${s.statusMessage}` : ""}`} aria-label="error">
                      !
                    </span>
                  )}
                  <span className="wf-name" title={`${s.name} (${s.service})`}>
                    {s.name}
                  </span>
                  <span className="wf-svc">{s.service}</span>
                  {s.clockSkew && (
                    <span className="wf-flag skew" title={SKEW_TOOLTIP} data-testid="clock-skew-flag">
                      skew
                    </span>
                  )}
                  {s.missingParent && (
                    <span className="wf-flag orphan" title="Its parent span was not received: it is shown as a root.">
                      no parent
                    </span>
                  )}
                  {isCollapsed && <span className="wf-hidden">+{row.descendants}</span>}
                </div>
                <div className="wf-self" title="Self time">
                  {formatDuration(s.selfMs)}
                </div>
                <div className="wf-track">
                  <div
                    className={isError ? "wf-bar error" : "wf-bar"}
                    style={{
                      left: `${left}%`,
                      width: `${width}%`,
                      background: `color-mix(in srgb, ${color} 35%, white)`,
                      borderColor: isError ? undefined : color,
                    }}
                  />
                  {sections.map((c, k) => (
                    <div
                      key={k}
                      className="wf-crit"
                      data-testid="critical-section"
                      title={`Critical path: ${formatDuration(c.endMs - c.startMs)}`}
                      style={{
                        left: `${pct(c.startMs)}%`,
                        width: `${((c.endMs - c.startMs) / duration) * 100}%`,
                        background: `color-mix(in srgb, ${color} 55%, black)`,
                      }}
                    />
                  ))}
                  <span className="wf-dur" style={{ left: `calc(${end}% + 4px)` }}>
                    {formatDuration(s.durationMs)}
                  </span>
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
