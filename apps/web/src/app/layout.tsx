import type { Metadata } from "next";
import { NuqsAdapter } from "nuqs/adapters/next/app";
import type { ReactNode } from "react";
import { Nav } from "@/components/nav";
import { Providers } from "@/lib/trpc";
import "./globals.css";

export const metadata: Metadata = { title: "Hourglass", description: "Job scheduler and durable task queue" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        {/* list pages keep their filters, sort and page in the URL (nuqs; lib/url-state.ts) */}
        <NuqsAdapter>
          <Providers>
            <Nav />
            <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">{children}</main>
          </Providers>
        </NuqsAdapter>
      </body>
    </html>
  );
}
