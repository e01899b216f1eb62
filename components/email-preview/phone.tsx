import type { ReactNode } from "react";

/** A phone outline for SMS and push previews. */
export function PhoneFrame({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div
      className="mx-auto w-[300px] rounded-[2.25rem] border border-slate-300 bg-slate-900 p-3 shadow-lg"
      role="figure"
      aria-label={label}
      data-testid="phone-frame"
    >
      <div className="relative flex h-[520px] flex-col overflow-hidden rounded-[1.6rem] bg-slate-50">
        <div aria-hidden className="mx-auto mt-2 h-5 w-24 rounded-full bg-slate-900" />
        {children}
      </div>
    </div>
  );
}

/** A text message as the recipient's messaging app shows it. */
export function SmsBubble({ sender, body, time = "now" }: { sender: string; body: string; time?: string }) {
  return (
    <>
      <div className="border-b border-slate-200 px-4 pb-2 pt-3 text-center">
        <div
          aria-hidden
          className="mx-auto flex size-9 items-center justify-center rounded-full bg-slate-300 text-sm font-semibold text-white"
        >
          {sender.trim().charAt(0).toUpperCase() || "?"}
        </div>
        <div className="mt-1 truncate text-xs font-medium text-slate-700">{sender}</div>
      </div>
      <div className="flex-1 overflow-y-auto px-3 py-4">
        <div className="mb-1 text-center text-[11px] text-slate-500">Text message · {time}</div>
        <div
          className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl rounded-bl-sm bg-slate-200 px-3 py-2 text-[13px] leading-snug text-slate-900"
          data-testid="sms-body"
        >
          {body || "(empty)"}
        </div>
      </div>
    </>
  );
}

/** A push notification on a lock screen. */
export function PushNotification({
  app,
  title,
  body,
  url,
  time = "now",
}: {
  app: string;
  title: string;
  body: string;
  url?: string | null | undefined;
  time?: string;
}) {
  return (
    <div className="flex-1 bg-gradient-to-b from-indigo-900 via-slate-800 to-slate-900 px-3 pt-10">
      <div className="mb-6 text-center text-white">
        <div className="text-5xl font-light tabular-nums">9:41</div>
        <div className="text-xs opacity-80">Tuesday</div>
      </div>
      <div className="rounded-2xl bg-white/90 p-3 shadow-lg backdrop-blur" data-testid="push-notification">
        <div className="mb-1 flex items-center gap-2 text-[11px] uppercase tracking-wide text-slate-500">
          <span
            aria-hidden
            className="flex size-4 items-center justify-center rounded bg-indigo-600 text-[9px] font-bold text-white"
          >
            {app.trim().charAt(0).toUpperCase() || "?"}
          </span>
          <span className="flex-1 truncate">{app}</span>
          <span>{time}</span>
        </div>
        <div className="text-[13px] font-semibold text-slate-900">{title || "(no title)"}</div>
        <div className="whitespace-pre-wrap break-words text-[13px] text-slate-800">
          {body || "(no text)"}
        </div>
        {url ? <div className="mt-1 truncate text-[11px] text-slate-500">Opens {url}</div> : null}
      </div>
    </div>
  );
}

export function segmentLabel(
  s: { segments: number; encoding: string; length: number } | null | undefined,
): string {
  if (!s) return "";
  const unit = s.encoding === "GSM-7" ? "characters" : "UCS-2 units";
  return `${s.segments} segment${s.segments === 1 ? "" : "s"} · ${s.encoding} · ${s.length} ${unit}`;
}
