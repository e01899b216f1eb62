"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { Upload } from "lucide-react";
import { useTRPC } from "@/trpc/client";
import { Button } from "@/components/ui/button";

const MAX_BYTES = 2 * 1024 * 1024;

/** Uploads a CSV of contacts and shows the import report (bad rows by line number). */
export function ImportForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const importCsv = useMutation(
    trpc.contacts.importCsv.mutationOptions({
      onSuccess: () => router.refresh(),
    }),
  );
  const report = importCsv.data;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!file) return setFileError("Choose a CSV file");
    if (file.size > MAX_BYTES) return setFileError("The file is larger than 2 MB");
    setFileError(null);
    importCsv.mutate({ csv: await file.text() });
  }

  return (
    <details
      className="mb-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="contacts-import"
    >
      <summary className="cursor-pointer text-sm font-medium">Import contacts from CSV</summary>
      <p className="mt-2 text-xs text-slate-600">
        Columns: email (required), phone, first_name, last_name, timezone, birthday (YYYY-MM-DD),
        email_consent, sms_consent (subscribed / unsubscribed). Any other column is stored in the
        contact&apos;s properties. Contacts are matched by email.
      </p>
      <form className="mt-3 flex flex-wrap items-center gap-2" onSubmit={submit}>
        <input
          type="file"
          accept=".csv,text/csv"
          aria-label="CSV file"
          className="text-sm"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            importCsv.reset();
          }}
        />
        <Button type="submit" size="sm" disabled={!file || importCsv.isPending}>
          <Upload className="size-4" aria-hidden />
          {importCsv.isPending ? "Importing…" : "Import"}
        </Button>
      </form>
      {(fileError ?? importCsv.error) && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {fileError ?? importCsv.error?.message}
        </p>
      )}
      {report && (
        <div className="mt-3 text-sm" data-testid="import-report">
          <p>
            {report.rows} rows read: <strong>{report.created}</strong> created,{" "}
            <strong>{report.updated}</strong> updated, <strong>{report.errors.length}</strong> skipped.
          </p>
          {report.errors.length > 0 && (
            <ul className="mt-2 max-h-48 overflow-auto rounded border border-red-100 bg-red-50 p-2 text-xs text-red-900">
              {report.errors.map((err) => (
                <li key={`${err.line}-${err.reason}`}>
                  Line {err.line}: {err.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  );
}
