import { describe, expect, it } from "vitest";
import { buildMergeContext, emptyMergeFields } from "./merge";
import { sampleTriggers, sampleWorkspace } from "@/emails/samples";

describe("emptyMergeFields", () => {
  const context = (firstName: string | null) =>
    buildMergeContext({
      workspace: sampleWorkspace,
      contact: { firstName, lastName: null, email: "x@example.com" },
      trigger: sampleTriggers.abandoned_cart_1,
    });

  it("lists known fields the contact and event leave empty, noting which have a fallback", () => {
    const content = {
      subject: '{{ first_name | default: "Hey" }}, your {{ cart.item_count }} items',
      body: "Hi {{ first_name }} {{ last_name }}, order {{ order.order_id }}",
      template: "{{ nope }}",
    };
    expect(emptyMergeFields(content, context(null))).toEqual([
      { field: "subject", key: "first_name", guarded: true },
      { field: "body", key: "first_name", guarded: false },
      { field: "body", key: "last_name", guarded: false },
      { field: "body", key: "order.order_id", guarded: false },
    ]);
  });

  it("reads list properties the way liquid does and ignores unknown fields and bad syntax", () => {
    const content = {
      body: "{{ cart.items.first.title }} {{ cart.items.size }} {{ frist_name }}",
      heading: "{{ oops",
    };
    expect(emptyMergeFields(content, context("Maya"))).toEqual([]);
  });
});
