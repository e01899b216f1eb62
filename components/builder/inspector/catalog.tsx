"use client";
/**
 * What the workspace has seen (events with their property keys, contact fields), loaded once
 * per builder from `flows.eventCatalog` and shared with every picker.
 */
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";
import type { CatalogEvent, CatalogProperty, ContactField } from "@/server/flows/catalog";

export type Catalog = {
  events: CatalogEvent[];
  contactFields: ContactField[];
  loading: boolean;
  eventNamed(name: string | null | undefined): CatalogEvent | undefined;
};

const empty: Catalog = { events: [], contactFields: [], loading: false, eventNamed: () => undefined };
const CatalogContext = createContext<Catalog>(empty);

export function CatalogProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.flows.eventCatalog.queryOptions(), staleTime: 5 * 60_000 });
  const value = useMemo<Catalog>(() => {
    const events = query.data?.events ?? [];
    const byName = new Map(events.map((e) => [e.name, e]));
    return {
      events,
      contactFields: query.data?.contactFields ?? [],
      loading: query.isPending,
      eventNamed: (name) => (name ? byName.get(name) : undefined),
    };
  }, [query.data, query.isPending]);
  return <CatalogContext.Provider value={value}>{children}</CatalogContext.Provider>;
}

/** A fixed catalog (tests, benchmarks, pages without the API). */
export function StaticCatalogProvider({
  events = [],
  contactFields = [],
  children,
}: {
  events?: CatalogEvent[];
  contactFields?: ContactField[];
  children: ReactNode;
}) {
  const value = useMemo<Catalog>(() => {
    const byName = new Map(events.map((e) => [e.name, e]));
    return {
      events,
      contactFields,
      loading: false,
      eventNamed: (name) => (name ? byName.get(name) : undefined),
    };
  }, [events, contactFields]);
  return <CatalogContext.Provider value={value}>{children}</CatalogContext.Provider>;
}

export function useCatalog(): Catalog {
  return useContext(CatalogContext);
}

export type { CatalogEvent, CatalogProperty, ContactField };
