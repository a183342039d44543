"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { sendJson } from "./api";

/**
 * Deletes one thing after a confirmation, then refreshes `queryKey` and calls `onDeleted`; a failure is said next to
 * the button.
 */
export function DeleteButton({ url, confirmText, queryKey, label = "Delete", onDeleted }: {
  url: string;
  confirmText: string;
  queryKey: string;
  label?: string;
  onDeleted?: () => void;
}) {
  const client = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const remove = async () => {
    if (!window.confirm(confirmText)) return;
    setDeleting(true);
    setFailure(null);
    try {
      await sendJson("DELETE", url);
      await client.invalidateQueries({ queryKey: [queryKey] });
      onDeleted?.();
    } catch (err) {
      setFailure(`Could not delete: ${(err as Error).message}.`);
      setDeleting(false);
    }
  };

  return (
    <>
      <button type="button" className="button slo-danger" onClick={remove} disabled={deleting}>
        {deleting ? "Deleting…" : label}
      </button>
      {failure && (
        <span className="error-text" role="alert">
          {failure}
        </span>
      )}
    </>
  );
}
