/**
 * What a flow step does to the contact, in one place: the interpreter applies it to the
 * contact it carries through a run, the executor to the facts of the next enrollment of
 * the same contact in a batch, and writes the same change to the database.
 */
import type { ContactEffect, Effect } from "./effects";
import type { ContactFacts } from "./facts";

export function isContactEffect(effect: Effect): effect is ContactEffect {
  return effect.type === "action" || effect.type === "consent";
}

/** The contact after the change; the same object when nothing changes. */
export function applyAction(contact: ContactFacts, effect: ContactEffect): ContactFacts {
  if (effect.type === "consent") {
    return contact.consent[effect.channel] === effect.status
      ? contact
      : { ...contact, consent: { ...contact.consent, [effect.channel]: effect.status } };
  }
  const action = effect.action;
  switch (action.type) {
    case "update_property":
      return { ...contact, properties: { ...contact.properties, [action.property]: action.value } };
    case "add_tag":
      return contact.tags.includes(action.tag)
        ? contact
        : { ...contact, tags: [...contact.tags, action.tag] };
    case "remove_tag":
      return contact.tags.includes(action.tag)
        ? { ...contact, tags: contact.tags.filter((t) => t !== action.tag) }
        : contact;
  }
}
