"use client";

import { useState, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { authClient } from "@/components/auth-client";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

export function AuthForm({ mode }: { mode: "sign-in" | "sign-up" }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (key: string) => {
      const value = form.get(key);
      return typeof value === "string" ? value : "";
    };
    const email = field("email");
    const password = field("password");
    setPending(true);
    setError(null);
    if (mode === "sign-up") {
      // Sign-up answers the same for a new and a taken email; signing in tells them apart.
      const created = await authClient.signUp.email({ email, password, name: field("name") });
      if (created.error) {
        setPending(false);
        setError(created.error.message ?? "Something went wrong. Try again.");
        return;
      }
    }
    const result = await authClient.signIn.email({ email, password });
    setPending(false);
    if (result.error) {
      setError(
        mode === "sign-up"
          ? "We could not open a workspace with these details. If you already have an account, check your email."
          : (result.error.message ?? "Something went wrong. Try again."),
      );
      return;
    }
    router.replace("/flows");
    router.refresh();
  }

  const signIn = mode === "sign-in";
  return (
    <Card>
      <CardHeader>
        <CardTitle>{signIn ? "Sign in to your shop" : "Create your workspace"}</CardTitle>
        <p className="text-sm text-slate-600">
          {signIn ? "Welcome back." : "Start sending flows in minutes."}
        </p>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate={false}>
          {!signIn && (
            <div className="flex flex-col gap-1.5">
              <Label htmlFor="name">Your name</Label>
              <Input id="name" name="name" autoComplete="name" required />
            </div>
          )}
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="password">Password</Label>
            <Input
              id="password"
              name="password"
              type="password"
              autoComplete={signIn ? "current-password" : "new-password"}
              minLength={signIn ? undefined : 10}
              required
            />
          </div>
          {error && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          )}
          <Button type="submit" disabled={pending}>
            {pending ? "Please wait…" : signIn ? "Sign in" : "Create workspace"}
          </Button>
          <p className="text-center text-sm text-slate-600">
            {signIn ? (
              <>
                New here?{" "}
                <Link className="font-medium text-indigo-700 hover:underline" href="/sign-up">
                  Create a workspace
                </Link>
              </>
            ) : (
              <>
                Already have an account?{" "}
                <Link className="font-medium text-indigo-700 hover:underline" href="/sign-in">
                  Sign in
                </Link>
              </>
            )}
          </p>
        </form>
      </CardContent>
    </Card>
  );
}
