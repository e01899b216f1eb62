"use client";
/**
 * The builder's Test panel: run the saved draft for one real contact, from one of their events
 * (as it happened or an edited copy) or from now for time triggers, on a virtual clock. The
 * path lights up on the canvas, the timeline lists every step at its time after the trigger,
 * each message opens as it would be sent, and "what they do next" changes the run. Nothing is
 * sent or saved.
 */
import { useEffect, useMemo, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { FlaskConical, LoaderCircle, Play, Plus, Search, Trash2, TriangleAlert, X } from "lucide-react";
import type { AppRouter } from "@/server/api/root";
import { isNodeKind, MESSAGE_KINDS } from "@/server/engine/nodes";
import { useTRPC } from "@/trpc/client";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { useBuilderContext } from "../builder-context";
import { describeNode } from "../nodes/node-card";
import { useBuilder } from "../store-provider";
import { fromLocalInput, orderPropertiesFor, parseProperties, relativeTime, toLocalInput } from "./format";
import { MessageDialog } from "./message-dialog";

type Outputs = inferRouterOutputs<AppRouter>["simulate"];
type RunResult = Outputs["contact"];
type Simulation = Extract<RunResult, { kind: "run" }>["simulation"];
export type SimStepView = Simulation["steps"][number];
type TriggerEvent = Outputs["contactEvents"]["events"][number];

type Picked = { id: string; name: string; email: string | null };
type TriggerChoice = { kind: "event"; eventId: string } | { kind: "copy" } | { kind: "now" };
type NextKind = "order" | "event" | "opened" | "clicked";
type NextThing = {
  key: number;
  kind: NextKind;
  hours: string;
  name: string;
  properties: string;
  nodeId: string;
};

const HOUR = 3_600_000;
const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

/** What the draft's graph is, without positions: a run is out of date once this changes. */
function useGraphKey(): string {
  const nodes = useBuilder((s) => s.nodes);
  const edges = useBuilder((s) => s.edges);
  const settings = useBuilder((s) => s.settings);
  return useMemo(
    () =>
      JSON.stringify([
        nodes.map((n) => [n.id, n.type, n.data]),
        edges.map((e) => [e.source, e.sourceHandle, e.target]),
        settings,
      ]),
    [nodes, edges, settings],
  );
}

export function TestPanel({
  onClose,
  onPath,
}: {
  onClose: () => void;
  /** The run's path for the canvas (null: nothing to light up). */
  onPath: (path: string[] | null) => void;
}) {
  const { flowId, autosave } = useBuilderContext();
  const trpc = useTRPC();
  const nodes = useBuilder((s) => s.nodes);
  const goal = useBuilder((s) => s.settings.goal);
  const graphKey = useGraphKey();
  const trigger = nodes.find((n) => n.type === "trigger");
  const triggerConfig = trigger?.data as { type?: string } | undefined;
  const timeTrigger =
    !!triggerConfig?.type && triggerConfig.type !== "event" && triggerConfig.type !== "back_in_stock";

  const [contact, setContact] = useState<Picked | null>(null);
  const [search, setSearch] = useState("");
  const [choice, setChoice] = useState<TriggerChoice | null>(timeTrigger ? { kind: "now" } : null);
  const [copyName, setCopyName] = useState("");
  const [copyTime, setCopyTime] = useState("");
  const [copyProps, setCopyProps] = useState("{}");
  const [next, setNext] = useState<NextThing[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [ranKey, setRanKey] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [openStep, setOpenStep] = useState<SimStepView | null>(null);

  const triggerEventName =
    triggerConfig?.type === "event" ? ((trigger?.data as { event?: string }).event?.trim() ?? "") : "";
  // With nothing typed, the people who most recently did the trigger event come first.
  const recentOnly = search.trim() === "" && triggerEventName !== "";
  const contacts = useQuery({
    ...trpc.preview.contacts.queryOptions({
      search: search.trim() || undefined,
      eventName: recentOnly ? triggerEventName : undefined,
      limit: 8,
    }),
    enabled: contact === null,
  });
  const events = useQuery({
    ...trpc.simulate.contactEvents.queryOptions({ flowId, contactId: contact?.id ?? "" }),
    enabled: contact !== null,
  });
  const run = useMutation(trpc.simulate.contact.mutationOptions());

  // Start from the contact's latest matching event.
  const firstEvent = events.data?.events[0];
  useEffect(() => {
    if (choice === null && firstEvent) setChoice({ kind: "event", eventId: firstEvent.id });
  }, [choice, firstEvent]);

  const chosenEvent: TriggerEvent | undefined =
    choice?.kind === "event" ? events.data?.events.find((e) => e.id === choice.eventId) : undefined;

  const result = run.data;
  const simulation = result?.kind === "run" ? result.simulation : null;
  const stale = ranKey !== null && ranKey !== graphKey;
  useEffect(() => {
    onPath(simulation && !stale ? simulation.path : null);
  }, [simulation, stale, onPath]);
  useEffect(() => () => onPath(null), [onPath]);

  const messageSteps = nodes
    .filter((n) => (MESSAGE_KINDS as ReadonlySet<string>).has(n.type))
    .map((n) => ({ id: n.id, title: stepTitle(n.type, n.data) }));
  const titles = new Map(nodes.map((n) => [n.id, stepTitle(n.type, n.data)]));
  const kinds = new Map(nodes.map((n) => [n.id, n.type as string]));

  function editCopy(from: TriggerEvent | undefined) {
    setCopyName(from?.name ?? events.data?.triggerEvent ?? "");
    setCopyTime(toLocalInput(from?.occurredAt ?? Date.now()));
    setCopyProps(JSON.stringify(from?.properties ?? {}, null, 2));
    setChoice({ kind: "copy" });
  }

  function addNext(kind: NextKind) {
    const base = chosenEvent?.properties ?? parseOr(copyProps);
    setNext((list) => [
      ...list,
      {
        key: nextKey,
        kind,
        hours: kind === "order" ? "30" : "2",
        name: kind === "order" ? (goal?.event ?? "Placed Order") : "",
        properties:
          kind === "order" ? JSON.stringify(orderPropertiesFor(base, goal?.matchTriggerProperty)) : "{}",
        nodeId: messageSteps[0]?.id ?? "",
      },
    ]);
    setNextKey((k) => k + 1);
  }

  async function onRun() {
    setFormError(null);
    if (!contact) return setFormError("Pick a contact first.");
    if (!choice) return setFormError("Pick the event that starts the flow.");
    let triggerInput: Parameters<typeof run.mutateAsync>[0]["trigger"];
    let start: number;
    if (choice.kind === "event") {
      triggerInput = { eventId: choice.eventId };
      start = chosenEvent?.occurredAt ?? Date.now();
    } else if (choice.kind === "copy") {
      const at = fromLocalInput(copyTime);
      const props = parseProperties(copyProps);
      if (at === null) return setFormError("Give the edited event a date and time.");
      if (!props.ok) return setFormError(props.error);
      if (!copyName.trim()) return setFormError("Name the edited event.");
      triggerInput = { event: { name: copyName.trim(), properties: props.value, occurredAt: at } };
      start = at;
    } else {
      triggerInput = { now: true };
      start = Date.now();
    }
    const injections: Parameters<typeof run.mutateAsync>[0]["injections"] = [];
    for (const [i, thing] of next.entries()) {
      const hours = Number(thing.hours);
      if (!Number.isFinite(hours) || hours < 0)
        return setFormError(`Step ${i + 1} of “what they do next”: hours after the trigger, 0 or more.`);
      const at = Math.round(start + hours * HOUR);
      if (thing.kind === "opened" || thing.kind === "clicked") {
        if (!thing.nodeId) return setFormError(`Step ${i + 1} of “what they do next”: pick a message.`);
        injections.push({ kind: "engagement", at, nodeId: thing.nodeId, type: thing.kind });
      } else {
        const props = parseProperties(thing.properties);
        if (!props.ok) return setFormError(`Step ${i + 1} of “what they do next”: ${props.error}.`);
        if (!thing.name.trim()) return setFormError(`Step ${i + 1} of “what they do next”: name the event.`);
        injections.push({ kind: "event", at, name: thing.name.trim(), properties: props.value });
      }
    }
    // The run uses the saved draft: save what is on the canvas first.
    await autosave.flush();
    const key = graphKey;
    run.mutate(
      { flowId, contactId: contact.id, trigger: triggerInput, injections },
      { onSuccess: () => setRanKey(key) },
    );
  }

  return (
    <aside
      aria-label="Test with a contact"
      className="flex w-[420px] shrink-0 flex-col border-l border-slate-200 bg-white"
      data-testid="test-panel"
      aria-busy={run.isPending}
    >
      <header className="flex items-start gap-3 border-b border-slate-100 px-4 py-3">
        <span className="flex size-9 shrink-0 items-center justify-center rounded-lg bg-emerald-100 text-emerald-800">
          <FlaskConical className="size-[18px]" aria-hidden />
        </span>
        <div className="min-w-0 flex-1">
          <h2 className="text-sm font-semibold text-slate-900">Test with a contact</h2>
          <p className="text-xs text-slate-600" data-testid="test-nothing-sent">
            Runs this draft for a real contact on a virtual clock. Nothing is sent or saved.
          </p>
        </div>
        <button
          type="button"
          onClick={onClose}
          className="rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          aria-label="Close the test panel"
        >
          <X className="size-4" aria-hidden />
        </button>
      </header>
      <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-4 py-3 text-sm">
        <Section title="Contact">
          {contact ? (
            <div className="flex items-center justify-between gap-2 rounded-md border border-slate-200 px-3 py-2">
              <div className="min-w-0">
                <p className="truncate font-medium text-slate-900" data-testid="test-contact">
                  {contact.name}
                </p>
                <p className="truncate text-xs text-slate-600">{contact.email}</p>
              </div>
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() => {
                  setContact(null);
                  setChoice(timeTrigger ? { kind: "now" } : null);
                  run.reset();
                  setRanKey(null);
                }}
              >
                Change
              </Button>
            </div>
          ) : (
            <div className="space-y-2">
              <label className="relative block">
                <span className="sr-only">Search contacts by name or email</span>
                <Search className="absolute left-2.5 top-2.5 size-4 text-slate-500" aria-hidden />
                <Input
                  className="pl-8"
                  placeholder="Search by name or email"
                  value={search}
                  onChange={(e) => setSearch(e.target.value)}
                  data-testid="test-contact-search"
                />
              </label>
              {recentOnly && (
                <p className="text-xs text-slate-600">{`Latest to do “${triggerEventName}”:`}</p>
              )}
              <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
                {contacts.data?.map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      className="block w-full px-3 py-1.5 text-left hover:bg-slate-50 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                      onClick={() => setContact({ id: c.id, name: c.name, email: c.email })}
                      data-testid="test-contact-option"
                    >
                      <span className="block truncate font-medium text-slate-900">{c.name}</span>
                      <span className="block truncate text-xs text-slate-600">{c.email}</span>
                    </button>
                  </li>
                ))}
                {contacts.data?.length === 0 && <li className="px-3 py-2 text-slate-600">No one matches.</li>}
                {contacts.isPending && <li className="px-3 py-2 text-slate-600">Searching…</li>}
              </ul>
            </div>
          )}
        </Section>

        {contact && (
          <Section title="Starts with">
            <div className="space-y-1.5" role="radiogroup" aria-label="What starts the flow">
              {timeTrigger && (
                <Choice checked={choice?.kind === "now"} onSelect={() => setChoice({ kind: "now" })}>
                  <span className="font-medium text-slate-900">Now</span>
                  <span className="block text-xs text-slate-600">The time trigger fires for them now.</span>
                </Choice>
              )}
              {events.data?.events.map((e) => (
                <Choice
                  key={e.id}
                  checked={choice?.kind === "event" && choice.eventId === e.id}
                  onSelect={() => setChoice({ kind: "event", eventId: e.id })}
                  testId="test-trigger-event"
                >
                  <span className="font-medium text-slate-900">{e.name}</span>{" "}
                  <span className="text-xs text-slate-600">{when.format(e.occurredAt)}</span>
                  <span className="block truncate text-xs text-slate-600" title={e.summary}>
                    {e.summary}
                  </span>
                </Choice>
              ))}
              {events.data && events.data.events.length === 0 && !timeTrigger && (
                <p className="text-slate-600">
                  {events.data.triggerEvent
                    ? `${contact.name} has no “${events.data.triggerEvent}” events. Make one up below.`
                    : `${contact.name} has no events yet. Make one up below.`}
                </p>
              )}
              {!timeTrigger && (
                <Choice
                  checked={choice?.kind === "copy"}
                  onSelect={() => editCopy(chosenEvent ?? events.data?.events[0])}
                  testId="test-trigger-copy"
                >
                  <span className="font-medium text-slate-900">An edited copy</span>
                  <span className="block text-xs text-slate-600">
                    Change the time or properties (e.g. the cart value) and test that.
                  </span>
                </Choice>
              )}
              {choice?.kind === "copy" && (
                <div className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-2">
                  <label className="block text-xs font-medium text-slate-700">
                    Event
                    <Input value={copyName} onChange={(e) => setCopyName(e.target.value)} className="mt-1" />
                  </label>
                  <label className="block text-xs font-medium text-slate-700">
                    When
                    <Input
                      type="datetime-local"
                      value={copyTime}
                      onChange={(e) => setCopyTime(e.target.value)}
                      className="mt-1"
                    />
                  </label>
                  <label className="block text-xs font-medium text-slate-700">
                    Properties (JSON)
                    <textarea
                      value={copyProps}
                      onChange={(e) => setCopyProps(e.target.value)}
                      rows={6}
                      spellCheck={false}
                      className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                      data-testid="test-copy-properties"
                    />
                  </label>
                </div>
              )}
            </div>
          </Section>
        )}

        {contact && (
          <Section title="What they do next">
            {next.length === 0 && (
              <p className="text-xs text-slate-600">
                Nothing beyond their real events after the trigger. Add what they do to see the path change.
              </p>
            )}
            <ul className="space-y-2">
              {next.map((thing, i) => (
                <li
                  key={thing.key}
                  className="space-y-1.5 rounded-md border border-slate-200 p-2"
                  data-testid="test-next"
                >
                  <div className="flex items-center gap-2">
                    <span className="flex-1 text-xs font-medium text-slate-800">
                      {NEXT_LABELS[thing.kind]}
                    </span>
                    <label className="flex items-center gap-1 text-xs text-slate-700">
                      at +
                      <Input
                        aria-label="Hours after the trigger"
                        type="number"
                        min={0}
                        step="any"
                        className="h-7 w-16 px-1.5"
                        value={thing.hours}
                        onChange={(e) => update(i, { hours: e.target.value })}
                      />
                      h
                    </label>
                    <button
                      type="button"
                      aria-label="Remove"
                      className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-red-700"
                      onClick={() => setNext((list) => list.filter((_, j) => j !== i))}
                    >
                      <Trash2 className="size-3.5" aria-hidden />
                    </button>
                  </div>
                  {thing.kind === "opened" || thing.kind === "clicked" ? (
                    <select
                      aria-label="Which message"
                      className="h-8 w-full rounded-md border border-slate-300 bg-white px-2 text-xs"
                      value={thing.nodeId}
                      onChange={(e) => update(i, { nodeId: e.target.value })}
                    >
                      {messageSteps.map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.title}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <>
                      <Input
                        aria-label="Event name"
                        className="h-8 text-xs"
                        placeholder="Event name, e.g. Placed Order"
                        value={thing.name}
                        onChange={(e) => update(i, { name: e.target.value })}
                      />
                      <textarea
                        aria-label="Event properties (JSON)"
                        rows={2}
                        spellCheck={false}
                        className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-xs focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                        value={thing.properties}
                        onChange={(e) => update(i, { properties: e.target.value })}
                      />
                    </>
                  )}
                </li>
              ))}
            </ul>
            <div className="mt-2 flex flex-wrap gap-1.5">
              <AddButton onClick={() => addNext("order")} testId="test-add-order">
                Places an order
              </AddButton>
              {messageSteps.length > 0 && (
                <>
                  <AddButton onClick={() => addNext("opened")}>Opens a message</AddButton>
                  <AddButton onClick={() => addNext("clicked")}>Clicks a message</AddButton>
                </>
              )}
              <AddButton onClick={() => addNext("event")}>Does something else</AddButton>
            </div>
          </Section>
        )}

        {contact && (
          <div className="space-y-2">
            <Button
              type="button"
              className="w-full"
              disabled={run.isPending || !choice}
              onClick={() => void onRun()}
              data-testid="test-run"
            >
              {run.isPending ? <LoaderCircle className="animate-spin" aria-hidden /> : <Play aria-hidden />}
              {simulation ? "Run again" : "Run the test"}
            </Button>
            {(formError || run.error) && (
              <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-900">
                {formError ?? run.error?.message}
              </p>
            )}
          </div>
        )}

        {result?.kind === "problems" && (
          <div
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 p-3"
            data-testid="test-problems"
          >
            <p className="flex items-center gap-1.5 font-medium text-red-900">
              <TriangleAlert className="size-4" aria-hidden /> Fix the draft before testing it
            </p>
            <ul className="mt-1 list-disc space-y-0.5 pl-5 text-red-900">
              {result.issues.map((issue, i) => (
                <li key={i}>
                  {issue.nodeId && titles.get(issue.nodeId) ? `${titles.get(issue.nodeId)}: ` : ""}
                  {issue.message}
                </li>
              ))}
            </ul>
          </div>
        )}

        {simulation && (
          <Timeline
            simulation={simulation}
            kinds={kinds}
            stale={stale}
            titles={titles}
            contactName={contact?.name ?? "The contact"}
            onOpen={setOpenStep}
          />
        )}
      </div>
      <MessageDialog step={openStep} onClose={() => setOpenStep(null)} />
    </aside>
  );

  function update(i: number, patch: Partial<NextThing>) {
    setNext((list) => list.map((t, j) => (j === i ? { ...t, ...patch } : t)));
  }
}

const NEXT_LABELS: Record<NextKind, string> = {
  order: "Places an order",
  event: "Does something",
  opened: "Opens a message",
  clicked: "Clicks a message",
};

function parseOr(text: string): Record<string, unknown> {
  const parsed = parseProperties(text);
  return parsed.ok ? parsed.value : {};
}

function stepTitle(kind: string, config: unknown): string {
  if (!isNodeKind(kind)) return kind;
  return describeNode(kind, config).summary;
}

const STATUS_TEXT: Record<Simulation["status"], string> = {
  active: "still in the flow when the test stopped",
  completed: "reached the end of the flow",
  exited: "left the flow",
};

const KIND_TONE: Record<SimStepView["kind"], string> = {
  enter: "bg-slate-400",
  step: "bg-slate-400",
  wait: "bg-sky-500",
  held: "bg-amber-500",
  send: "bg-indigo-600",
  skip: "bg-amber-500",
  convert: "bg-emerald-600",
  exit: "bg-slate-600",
  action: "bg-violet-500",
};

/**
 * Steps whose "passed on" says nothing the timeline does not already show: the trigger (its
 * entry line), a wait (its "waiting" line) and a message (its send or skip line). Branches
 * and waits for an event keep theirs, since they say which way the contact went.
 */
const QUIET_PASS_KINDS: ReadonlySet<string> = new Set(["trigger", "wait", "email", "sms", "push"]);

function Timeline({
  simulation,
  kinds,
  stale,
  titles,
  contactName,
  onOpen,
}: {
  simulation: Simulation;
  kinds: ReadonlyMap<string, string>;
  stale: boolean;
  titles: ReadonlyMap<string, string>;
  contactName: string;
  onOpen: (step: SimStepView) => void;
}) {
  const start = simulation.trigger.occurredAt;
  const convertedAt = new Set(simulation.steps.filter((s) => s.kind === "convert").map((s) => s.at));
  const shown = simulation.steps.filter(
    (step) =>
      !(step.kind === "step" && QUIET_PASS_KINDS.has(kinds.get(step.nodeId) ?? "")) &&
      // The goal's exit is the conversion line just above it.
      !(step.kind === "exit" && convertedAt.has(step.at)),
  );
  const sends = simulation.steps.filter((s) => s.kind === "send").length;
  return (
    <section aria-label="What happens" data-testid="test-result" data-status={simulation.status}>
      {stale && (
        <p className="mb-2 rounded-md bg-amber-50 px-3 py-2 text-amber-950" data-testid="test-stale">
          The draft changed since this run. Run again to see the new path.
        </p>
      )}
      {!simulation.entered ? (
        <p className="rounded-md bg-slate-100 px-3 py-2 text-slate-800" data-testid="test-not-entered">
          {contactName} would not enter this flow
          {simulation.entryReason ? `: ${simulation.entryReason}` : "."}
        </p>
      ) : (
        <p className="mb-2 text-xs text-slate-600" data-testid="test-summary">
          {`${contactName} ${STATUS_TEXT[simulation.status]} · ${sends} ${sends === 1 ? "message" : "messages"} · started ${when.format(start)}`}
        </p>
      )}
      <ol className="relative space-y-2 border-l border-slate-200 pl-4">
        {shown.map((step, i) => (
          <li
            key={i}
            className="relative"
            data-testid="test-step"
            data-kind={step.kind}
            data-node-id={step.nodeId}
          >
            <span
              aria-hidden
              className={cn("absolute -left-[21px] top-1.5 size-2.5 rounded-full", KIND_TONE[step.kind])}
            />
            <p className="text-slate-900">
              <span className="font-mono text-xs tabular-nums text-slate-600" title={when.format(step.at)}>
                {relativeTime(step.at, start)}
              </span>
              {" · "}
              <span data-testid="test-step-text">{step.text}</span>
            </p>
            {(step.kind === "skip" || step.kind === "held") && titles.get(step.nodeId) && (
              <p className="truncate text-xs text-slate-500">{titles.get(step.nodeId)}</p>
            )}
            {step.note && (
              <p
                className="mt-0.5 rounded bg-amber-50 px-2 py-1 text-xs text-amber-950"
                data-testid="test-step-note"
              >
                {step.note}
              </p>
            )}
            {step.message && (
              <button
                type="button"
                className="mt-0.5 text-xs font-medium text-indigo-700 hover:underline"
                onClick={() => onOpen(step)}
                data-testid="test-open-message"
              >
                Open the{" "}
                {step.message.channel === "email" ? "email" : step.message.channel === "sms" ? "SMS" : "push"}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title}>
      <h3 className="mb-1.5 text-[11px] font-semibold uppercase tracking-wide text-slate-600">{title}</h3>
      {children}
    </section>
  );
}

function Choice({
  checked,
  onSelect,
  children,
  testId,
}: {
  checked: boolean;
  onSelect: () => void;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <button
      type="button"
      role="radio"
      aria-checked={checked}
      onClick={onSelect}
      data-testid={testId}
      className={cn(
        "block w-full rounded-md border px-3 py-1.5 text-left focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500",
        checked ? "border-indigo-500 bg-indigo-50" : "border-slate-200 hover:bg-slate-50",
      )}
    >
      {children}
    </button>
  );
}

function AddButton({
  onClick,
  children,
  testId,
}: {
  onClick: () => void;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <Button type="button" size="sm" variant="secondary" onClick={onClick} data-testid={testId}>
      <Plus aria-hidden /> {children}
    </Button>
  );
}
