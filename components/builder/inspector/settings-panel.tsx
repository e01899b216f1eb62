"use client";
/** Flow settings: goal, flow filter, re-entry, smart sending, quiet hours, attribution window. */
import { FlowSettings } from "@/server/engine/settings";
import { useBuilder } from "../store-provider";
import { CheckboxField, NumberField, Section, SelectField, TextField } from "../ui/form";
import { EventSelect, PropertySelect } from "./pickers";
import { PredicateEditor } from "./predicate-editor";
import { useMessageSteps, useTriggerEvent } from "./use-node-form";
import { useSchemaForm } from "./use-schema-form";

/** The id that names "this" thing for a trigger event: the cart, the product or the order. */
function sameThingKey(triggerEvent: string | null): string {
  if (triggerEvent === "Started Checkout" || triggerEvent === "Added to Cart") return "cart_id";
  if (triggerEvent === "Viewed Product" || triggerEvent === "Back in Stock") return "product_id";
  return "order_id";
}

export function SettingsPanel() {
  const settings = useBuilder((s) => s.settings);
  const update = useBuilder((s) => s.updateSettings);
  const { draft, change, error } = useSchemaForm(FlowSettings, settings, update);
  const triggerEvent = useTriggerEvent();
  const messageSteps = useMessageSteps();
  const goal = draft.goal;
  return (
    <div data-testid="flow-settings">
      <Section title="Goal">
        <CheckboxField
          label="End the flow when the contact converts"
          hint="Reaching the goal exits the contact and counts a conversion with its revenue."
          checked={goal !== null}
          onChange={(on) => change({ ...draft, goal: on ? { event: "Placed Order", filter: null } : null })}
        />
        {goal && (
          <>
            <EventSelect
              label="Goal event"
              value={goal.event}
              onChange={(event) => change({ ...draft, goal: { ...goal, event } })}
              error={error("goal.event")}
            />
            <PredicateEditor
              value={goal.filter}
              onChange={(filter) => change({ ...draft, goal: { ...goal, filter } })}
              optional
              addLabel="Only when the event matches…"
              context={{ sources: ["event"], eventName: goal.event, triggerEvent, behaviour: false }}
              path="goal.filter"
              errorAt={error}
            />
            {(triggerEvent !== null || (goal.matchTriggerProperty ?? null) !== null) && (
              <CheckboxField
                label="Only when it is about this trigger"
                hint="E.g. exit when this cart is ordered, not any cart: the goal event must carry the trigger's value."
                checked={(goal.matchTriggerProperty ?? null) !== null}
                onChange={(on) =>
                  change({
                    ...draft,
                    goal: on
                      ? { ...goal, matchTriggerProperty: sameThingKey(triggerEvent) }
                      : { event: goal.event, filter: goal.filter },
                  })
                }
              />
            )}
            {goal.matchTriggerProperty !== undefined && goal.matchTriggerProperty !== null && (
              <PropertySelect
                label="Same value of"
                source="trigger"
                eventName={triggerEvent}
                value={goal.matchTriggerProperty}
                onChange={(matchTriggerProperty) =>
                  change({ ...draft, goal: { ...goal, matchTriggerProperty } })
                }
                error={error("goal.matchTriggerProperty")}
              />
            )}
          </>
        )}
      </Section>
      <Section title="Who stays in the flow">
        <PredicateEditor
          value={draft.filter}
          onChange={(filter) => change({ ...draft, filter })}
          optional
          addLabel="Add a flow filter"
          emptyHint="Checked before every step: a contact who stops matching leaves (e.g. “did not click the first email”)."
          context={{ sources: ["contact", "trigger"], triggerEvent, behaviour: true, messageSteps }}
          path="filter"
          errorAt={error}
        />
      </Section>
      <Section title="Re-entry">
        <SelectField
          label="A contact may enter"
          value={draft.reentry.mode}
          options={[
            { value: "every_time", label: "Every time the trigger happens" },
            { value: "once", label: "Only once, ever" },
            { value: "once_per_period", label: "Once per period" },
          ]}
          onChange={(mode) =>
            change({
              ...draft,
              reentry:
                mode === "once_per_period" ? { mode, periodDays: draft.reentry.periodDays ?? 30 } : { mode },
            })
          }
        />
        {draft.reentry.mode === "once_per_period" && (
          <NumberField
            label="Days before they may enter again"
            min={1}
            value={draft.reentry.periodDays ?? Number.NaN}
            onChange={(periodDays) => change({ ...draft, reentry: { ...draft.reentry, periodDays } })}
            error={error("reentry.periodDays")}
          />
        )}
        <CheckboxField
          label="Several at once, one per…"
          hint="E.g. one abandoned-cart journey per cart; “order_id, product_id” is one per product of an order."
          checked={draft.entryKey !== null}
          onChange={(on) => change({ ...draft, entryKey: on ? "cart_id" : null })}
        />
        {draft.entryKey !== null && (
          <PropertySelect
            label="Trigger property"
            source="trigger"
            eventName={triggerEvent}
            value={draft.entryKey}
            onChange={(entryKey) => change({ ...draft, entryKey })}
            error={error("entryKey")}
          />
        )}
      </Section>
      <Section title="Sending">
        <NumberField
          label="Smart sending (hours)"
          min={0}
          max={168}
          value={draft.smartSendingHours}
          onChange={(smartSendingHours) => change({ ...draft, smartSendingHours })}
          error={error("smartSendingHours")}
          hint="Skip a marketing message if the contact got one on that channel this recently. 0 turns it off."
        />
        <CheckboxField
          label="Quiet hours for SMS and push"
          hint="Marketing texts and pushes wait until the window ends, in the contact's time zone."
          checked={draft.quietHours.enabled}
          onChange={(enabled) => change({ ...draft, quietHours: { ...draft.quietHours, enabled } })}
        />
        {draft.quietHours.enabled && (
          <div className="grid grid-cols-2 gap-2">
            <TextField
              label="From"
              type="time"
              value={draft.quietHours.start}
              onChange={(start) => change({ ...draft, quietHours: { ...draft.quietHours, start } })}
              error={error("quietHours.start")}
            />
            <TextField
              label="Until"
              type="time"
              value={draft.quietHours.end}
              onChange={(end) => change({ ...draft, quietHours: { ...draft.quietHours, end } })}
              error={error("quietHours.end")}
            />
          </div>
        )}
        <NumberField
          label="Attribution window (days)"
          min={0}
          max={90}
          value={draft.attributionDays}
          onChange={(attributionDays) => change({ ...draft, attributionDays })}
          error={error("attributionDays")}
          hint="An order this many days after an email is credited to it."
        />
      </Section>
    </div>
  );
}
