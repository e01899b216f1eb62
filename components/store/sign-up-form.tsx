"use client";

import { useState } from "react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { signUp, useShopper, useStore } from "./shopper";

export function SignUpForm() {
  const store = useStore();
  const shopper = useShopper(store.slug);
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (shopper?.email)
    return (
      <p role="status" className="text-emerald-700">
        Welcome{shopper.firstName ? `, ${shopper.firstName}` : ""}! You are signed up as {shopper.email}. To
        get our news and offers, confirm the link we emailed you.{" "}
        <Link href={`/store/${store.slug}`} className="underline">
          Start shopping
        </Link>
      </p>
    );

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const [firstName, ...rest] = name.trim().split(/\s+/);
    try {
      await signUp(store, {
        email: email.trim(),
        ...(firstName && { firstName }),
        ...(rest.length > 0 && { lastName: rest.join(" ") }),
      });
    } catch (err) {
      setError(err instanceof Error ? err.message : "Sign-up failed");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} className="flex max-w-sm flex-col gap-3">
      <div className="flex flex-col gap-1">
        <Label htmlFor="signup-name">Name</Label>
        <Input id="signup-name" required value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="signup-email">Email</Label>
        <Input
          id="signup-email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <Button type="submit" disabled={busy}>
        Sign up
      </Button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
