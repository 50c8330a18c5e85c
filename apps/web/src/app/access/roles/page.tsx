"use client";
import { RolesSection } from "@/components/access/roles-section";

export default function RolesPage() {
  return <RolesSection />;
}
