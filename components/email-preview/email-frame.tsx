"use client";

import { useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { Code, FileText, Monitor, Smartphone } from "lucide-react";
import { cn } from "@/components/ui/cn";
import { EMAIL_FRAME_SANDBOX, withLinksInNewTab } from "./frame-html";

export type Device = "desktop" | "mobile";
export type EmailView = "html" | "text";

/** The templates are 600px wide; below this the desktop view is scaled down rather than squeezed. */
const DESKTOP_MIN_WIDTH = 600;
const DESKTOP_HEIGHT = 760;
const MOBILE_WIDTH = 375;
const MOBILE_HEIGHT = 667;

function useWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(entry ? entry.contentRect.width : 0));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

/** A two-or-more-way switch of pressed buttons (desktop/mobile, HTML/text). */
export function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly { value: T; label: string; icon?: ReactNode }[];
  onChange: (value: T) => void;
}) {
  return (
    <div
      role="group"
      aria-label={label}
      className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm"
    >
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={value === o.value}
          onClick={() => onChange(o.value)}
          className={cn(
            "inline-flex items-center gap-1.5 rounded px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 [&_svg]:size-3.5",
            value === o.value && "bg-indigo-50 text-indigo-800 hover:bg-indigo-50",
          )}
        >
          {o.icon}
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function DeviceToggle({ value, onChange }: { value: Device; onChange: (d: Device) => void }) {
  return (
    <Segmented
      label="Screen size"
      value={value}
      onChange={onChange}
      options={[
        { value: "desktop", label: "Desktop", icon: <Monitor aria-hidden /> },
        { value: "mobile", label: "Mobile", icon: <Smartphone aria-hidden /> },
      ]}
    />
  );
}

export function ViewToggle({ value, onChange }: { value: EmailView; onChange: (v: EmailView) => void }) {
  return (
    <Segmented
      label="Format"
      value={value}
      onChange={onChange}
      options={[
        { value: "html", label: "HTML", icon: <Code aria-hidden /> },
        { value: "text", label: "Plain text", icon: <FileText aria-hidden /> },
      ]}
    />
  );
}

/** Subject and preheader as an inbox list shows them, with the sender and recipient. */
export function InboxHeader({
  from,
  to,
  subject,
  preheader,
}: {
  from: string;
  to?: string | null;
  subject: string;
  preheader: string;
}) {
  const name = /^(.*?)\s*<[^>]+>$/.exec(from)?.[1] || from;
  return (
    <div
      className="flex gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3"
      data-testid="inbox-header"
    >
      <span
        aria-hidden
        className="flex size-9 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-sm font-semibold text-indigo-800"
      >
        {name.trim().charAt(0).toUpperCase() || "?"}
      </span>
      <div className="min-w-0 flex-1 text-sm">
        <div className="flex items-baseline justify-between gap-2">
          <span className="truncate font-semibold text-slate-900" title={from}>
            {name}
          </span>
          {to ? <span className="shrink-0 truncate text-xs text-slate-500">to {to}</span> : null}
        </div>
        <div className="truncate">
          <span className="font-semibold text-slate-900" data-testid="preview-subject">
            {subject || "(no subject)"}
          </span>
          {preheader ? (
            <span className="text-slate-500" data-testid="preview-preheader">{` — ${preheader}`}</span>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/**
 * The rendered email in a sandboxed iframe (no scripts, links open a new tab), at desktop
 * or phone width, scaled down to fit a narrow panel.
 */
export function EmailFrame({
  html,
  device,
  title = "Email preview",
}: {
  html: string;
  device: Device;
  title?: string;
}) {
  const [ref, available] = useWidth<HTMLDivElement>();
  const naturalWidth = device === "mobile" ? MOBILE_WIDTH : Math.max(DESKTOP_MIN_WIDTH, available);
  const naturalHeight = device === "mobile" ? MOBILE_HEIGHT : DESKTOP_HEIGHT;
  const room = device === "mobile" ? available - 24 : available;
  const scale = available > 0 ? Math.min(1, room / naturalWidth) : 1;
  const frame = (
    <iframe
      title={title}
      sandbox={EMAIL_FRAME_SANDBOX}
      srcDoc={withLinksInNewTab(html)}
      data-device={device}
      style={{
        width: naturalWidth,
        height: naturalHeight,
        transform: scale < 1 ? `scale(${scale})` : undefined,
        transformOrigin: "top left",
      }}
      className="block border-0 bg-white"
    />
  );
  return (
    <div ref={ref} className="w-full overflow-clip">
      {device === "mobile" ? (
        <div
          className="mx-auto w-fit rounded-[2.25rem] border border-slate-300 bg-slate-900 p-3 shadow-lg"
          data-testid="phone-frame"
        >
          <div
            className="overflow-clip rounded-[1.6rem] bg-white"
            style={{ width: naturalWidth * scale, height: naturalHeight * scale }}
          >
            {frame}
          </div>
        </div>
      ) : (
        <div
          className="overflow-clip rounded-lg border border-slate-200 bg-white shadow-sm"
          style={{ height: naturalHeight * scale }}
        >
          {frame}
        </div>
      )}
    </div>
  );
}

export function PlainText({ text }: { text: string }) {
  return (
    <pre
      className="max-h-[760px] overflow-auto whitespace-pre-wrap break-words rounded-lg border border-slate-200 bg-white p-5 font-mono text-[13px] leading-relaxed text-slate-800"
      data-testid="preview-text"
    >
      {text || "(empty)"}
    </pre>
  );
}
