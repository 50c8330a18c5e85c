"use client";
import { PrincipalsSection } from "@/components/access/principals-section";

export default function UsersPage() {
  return <PrincipalsSection kind="user" />;
}
