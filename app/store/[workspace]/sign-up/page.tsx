import type { Metadata } from "next";
import { SignUpForm } from "@/components/store/sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default function StoreSignUpPage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">Join the shop</h1>
      <p className="text-stone-600">News, restocks and offers, now and then.</p>
      <SignUpForm />
    </div>
  );
}
