"use client";
import { PrincipalsSection } from "@/components/access/principals-section";

export default function ServiceAccountsPage() {
  return <PrincipalsSection kind="service" />;
}
