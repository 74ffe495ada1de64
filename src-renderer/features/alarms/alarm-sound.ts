import { useEffect } from 'react';

/** A short two-tone chime every 2 s while `on`. WebAudio: no media file, no autoplay prompt once the operator has clicked. */
export function useAlarmSound(on: boolean): void {
  useEffect(() => {
    if (!on || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const chime = () => {
      if (context.state === 'suspended') void context.resume();
      const start = context.currentTime;
      for (const [offset, frequency] of [
        [0, 880],
        [0.18, 660],
      ] as const) {
        const osc = context.createOscillator();
        const gain = context.createGain();
        osc.frequency.value = frequency;
        gain.gain.setValueAtTime(0.0001, start + offset);
        gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
        osc.connect(gain).connect(context.destination);
        osc.start(start + offset);
        osc.stop(start + offset + 0.17);
      }
    };
    chime();
    const timer = window.setInterval(chime, 2000);
    return () => {
      window.clearInterval(timer);
      void context.close();
    };
  }, [on]);
}
