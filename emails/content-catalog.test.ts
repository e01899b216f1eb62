import { Liquid } from "liquidjs";
import { describe, expect, it } from "vitest";
import { checkMergeFields, mergeKeysForTrigger } from "@/server/channels/merge";
import { catalogMergeIssues, fieldsForTrigger } from "@/server/engine/catalog";
import { flowTemplates } from "@/server/engine/templates";
import { validateGraph } from "@/server/engine/validate";
import { emailCatalog, emailTemplateKeys } from "./catalog";
import { contentCatalog } from "./content-catalog";
import { MERGE_FILTERS } from "./merge-fields";

describe("the content catalog the validator receives", () => {
  it("lists every email template and merge field", () => {
    expect(contentCatalog.emailTemplates).toEqual(emailTemplateKeys);
    expect(contentCatalog.mergeFields.map((f) => f.key)).toContain("first_name");
    expect(fieldsForTrigger(contentCatalog, "Started Checkout")).toEqual(
      new Set(mergeKeysForTrigger("Started Checkout")),
    );
    expect(fieldsForTrigger(contentCatalog, "Signed Up")).toEqual(new Set(mergeKeysForTrigger("Signed Up")));
    expect(fieldsForTrigger(contentCatalog, null)).toEqual(new Set(mergeKeysForTrigger(undefined)));
  });

  it("lists exactly the filters the renderer knows", () => {
    const renderer = new Liquid();
    expect([...MERGE_FILTERS].sort()).toEqual([...Object.keys(renderer.filters), "money"].sort());
  });

  for (const template of flowTemplates()) {
    it(`validates the gallery flow “${template.name}” with the real catalog`, () => {
      expect(validateGraph(template.graph, contentCatalog)).toEqual([]);
    });
  }

  it("agrees with the renderer's own check on unknown fields in every template's copy", () => {
    const available = fieldsForTrigger(contentCatalog, null);
    for (const key of emailTemplateKeys) {
      const content = emailCatalog[key].defaultContent;
      for (const [field, text] of Object.entries(content)) {
        if (typeof text !== "string" || ["template", "category", "productSource"].includes(field)) continue;
        const ours = catalogMergeIssues(text, field, contentCatalog, available).filter(
          (i) => i.code === "unknown_merge_field",
        );
        const renderer = checkMergeFields({ [field]: text }, [...available]).filter((p) =>
          p.message.includes("isn’t a merge field"),
        );
        expect(ours.length, `${key}.${field}`).toBe(renderer.length);
      }
    }
    const typo = { body: 'Hi {{ frist_name }} {{ order.idd | default: "x" }}' };
    expect(catalogMergeIssues(typo.body, "body", contentCatalog, available)).toHaveLength(2);
    expect(checkMergeFields(typo, [...available])).toHaveLength(2);
  });
});
