"use client";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { isValidZone, localZone } from "@/lib/time-format";
import { setZonePreference, useTimeZone } from "@/lib/time-zone";
import { Button, controlClass, Modal } from "./ui";

/** Every zone Intl knows, for the picker's suggestions (empty where the browser cannot list them). */
function knownZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

/**
 * The header's zone switcher: times on every page in the browser's zone, in
 * UTC, or in a chosen IANA zone; remembered per browser (lib/time-zone.ts).
 */
export function ZoneSwitcher() {
  const { pref, zone } = useTimeZone();
  const [picking, setPicking] = useState(false);
  const [local, setLocal] = useState("local");
  useEffect(() => setLocal(localZone()), []);
  const chosen = pref !== "local" && pref !== "UTC";
  return (
    <>
      <label className="flex items-center gap-1 text-sm text-slate-600 dark:text-slate-300">
        <span className="sr-only">Time zone</span>
        <svg aria-hidden viewBox="0 0 24 24" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
          <circle cx="12" cy="12" r="9" /><path d="M12 7v5l3 2" />
        </svg>
        <select aria-label="Time zone" data-testid="zone-switcher" className={`${controlClass} max-w-44 py-1`}
          value={chosen ? "chosen" : pref}
          onChange={(e) => (e.target.value === "pick" ? setPicking(true) : setZonePreference(e.target.value))}>
          <option value="local">Local ({local})</option>
          <option value="UTC">UTC</option>
          {chosen && <option value="chosen">{zone}</option>}
          <option value="pick">Other zone…</option>
        </select>
      </label>
      <PickZone open={picking} onClose={() => setPicking(false)} />
    </>
  );
}

function PickZone({ open, onClose }: { open: boolean; onClose: () => void }) {
  const zones = useMemo(() => (open ? knownZones() : []), [open]);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const zone = draft.trim();
    if (!isValidZone(zone)) return setError(`"${zone}" is not a time zone this browser knows (e.g. Europe/Berlin, America/New_York)`);
    setZonePreference(zone);
    setError("");
    onClose();
  };
  return (
    <Modal open={open} title="Show times in" onClose={onClose}>
      <form className="space-y-3 text-sm" onSubmit={submit}>
        <label className="block">
          <span className="mb-1 block font-medium">IANA time zone</span>
          <input aria-label="IANA time zone" list="hourglass-zones" autoFocus placeholder="Europe/Berlin" className={`w-full ${controlClass}`}
            value={draft} onChange={(e) => setDraft(e.target.value)} />
          <datalist id="hourglass-zones">{zones.map((z) => <option key={z} value={z} />)}</datalist>
        </label>
        {error && <p role="alert" className="text-rose-700 dark:text-rose-300">{error}</p>}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button tone="primary" type="submit">Use this zone</Button>
        </div>
      </form>
    </Modal>
  );
}
