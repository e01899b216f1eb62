"use client";
/** The seed flows as cards: one click makes a draft from the template and opens it. */
import {
  Bell,
  Gift,
  Mail,
  MessageSquare,
  Package,
  Repeat,
  ShoppingCart,
  Sparkles,
  type LucideIcon,
} from "lucide-react";
import type { FlowTemplate, FlowTemplateCategory } from "@/server/engine/templates";
import { cn } from "@/components/ui/cn";

const CATEGORY: Record<FlowTemplateCategory, { label: string; icon: LucideIcon; tone: string }> = {
  onboarding: { label: "Onboarding", icon: Sparkles, tone: "bg-indigo-100 text-indigo-800" },
  transactional: { label: "Transactional", icon: Package, tone: "bg-slate-200 text-slate-800" },
  abandonment: { label: "Abandonment", icon: ShoppingCart, tone: "bg-amber-100 text-amber-900" },
  post_purchase: { label: "Post-purchase", icon: Gift, tone: "bg-emerald-100 text-emerald-900" },
  retention: { label: "Retention", icon: Repeat, tone: "bg-sky-100 text-sky-900" },
  promotion: { label: "Promotion", icon: Sparkles, tone: "bg-fuchsia-100 text-fuchsia-900" },
};

function channels(template: FlowTemplate) {
  const count = (kind: string) => template.graph.nodes.filter((n) => n.kind === kind).length;
  return [
    { icon: Mail, n: count("email"), label: "email" },
    { icon: MessageSquare, n: count("sms"), label: "SMS" },
    { icon: Bell, n: count("push"), label: "push" },
  ].filter((c) => c.n > 0);
}

export function TemplateGallery({
  templates,
  onPick,
  pending,
}: {
  templates: FlowTemplate[];
  onPick: (key: FlowTemplate["key"]) => void;
  pending: string | null;
}) {
  return (
    <ul className="grid grid-cols-1 gap-3 sm:grid-cols-2" aria-label="Flow templates">
      {templates.map((t) => {
        const category = CATEGORY[t.category];
        const Icon = category.icon;
        return (
          <li key={t.key}>
            <button
              type="button"
              onClick={() => onPick(t.key)}
              disabled={pending !== null}
              aria-labelledby={`template-${t.key}-name`}
              aria-describedby={`template-${t.key}-description`}
              data-testid={`template-${t.key}`}
              className={cn(
                "flex h-full w-full flex-col gap-2 rounded-xl border border-slate-200 bg-white p-4 text-left shadow-sm transition hover:border-indigo-400 hover:shadow-md focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-60",
                pending === t.key && "border-indigo-500 ring-2 ring-indigo-500/40",
              )}
            >
              <div className="flex items-center gap-2">
                <span
                  className={cn("flex size-7 items-center justify-center rounded-md", category.tone)}
                  aria-hidden
                >
                  <Icon className="size-4" />
                </span>
                <span id={`template-${t.key}-name`} className="font-semibold text-slate-900">
                  {t.name}
                </span>
              </div>
              <p id={`template-${t.key}-description`} className="text-sm leading-snug text-slate-600">
                {t.description}
              </p>
              <div className="mt-auto flex items-center gap-3 pt-1 text-xs text-slate-600">
                <span>{t.graph.nodes.length} steps</span>
                {channels(t).map((c) => (
                  <span key={c.label} className="inline-flex items-center gap-1">
                    <c.icon className="size-3.5" aria-hidden />
                    {c.n} {c.label}
                  </span>
                ))}
                <span className="ml-auto text-slate-500">{category.label}</span>
              </div>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
