"""Synthesise the demo calls in examples/calls/ with espeak-ng and sox.

Two voices per call, laid on a timeline with natural gaps. Stereo calls put
each party on its own channel (agent left, unless the call is meant to be
swapped); mono calls mix both. Telephone calls are 8 kHz.

    python scripts/make_example_calls.py        # needs espeak-ng and sox
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "examples" / "calls"
AGENT_VOICE = ("en-us+f3", 155)
CUSTOMER_VOICE = ("en-gb+m3", 165)

CALLS = {
    # file name: (layout, sample rate, [(role, text), ...])
    "s.okafor_20260303_1001.flac": (
        "stereo",
        8000,
        [
            ("agent", "Hi, this is Sara calling from Northwind Mobile about your contract renewal. "
                      "This call is recorded for quality. Is now a good time?"),
            ("customer", "Yes, I have a few minutes."),
            ("agent", "Great. How do you mostly use your phone these days?"),
            ("customer", "Mostly streaming on the train, and video calls with my family in Spain. "
                         "I keep running out of data."),
            ("agent", "And what matters most to you in a new plan?"),
            ("customer", "I need data that does not run out, and cheap calls abroad."),
            ("agent", "So you need data that lasts all month and good calls to Spain. I would recommend "
                      "Spring Unlimited. It is thirty five dollars a month for twelve months with "
                      "unlimited data, and it includes three hundred international minutes."),
            ("customer", "That sounds good. Is there a setup fee?"),
            ("agent", "No, there is no setup fee. Does that make sense for what you need?"),
            ("customer", "Yes, let's do it."),
        ],
    ),
    "d.novak_20260304_1002.wav": (
        "stereo-swapped",
        8000,
        [
            ("agent", "Thank you for calling Northwind Mobile, this is Dan. How can I help you today?"),
            ("customer", "Hi Dan, my bill this month is much higher than usual."),
            ("agent", "I am sorry about that. Can you confirm your name and date of birth for security?"),
            ("customer", "Maria Lopez, fourth of June nineteen eighty five."),
            ("agent", "Thank you Maria. Your account shows twenty two dollars of roaming from your trip. "
                      "I have credited half of it as a goodwill gesture."),
            ("customer", "Oh okay, that is fair, thank you."),
            ("agent", "Is there anything else I can help you with today?"),
            ("customer", "No, that is all. Bye."),
        ],
    ),
    "l.chen_20260305_1003.flac": (
        "mono",
        16000,
        [
            ("agent", "Northwind Mobile, Lin speaking. How can I help?"),
            ("customer", "My internet has stopped working three times this week, it is terrible."),
            ("agent", "Have you seen our new Fibre Max plan? It is much faster."),
            ("customer", "I just want my internet fixed. Otherwise I will cancel."),
            ("agent", "I understand. I have opened a fault ticket and an engineer will call you today."),
            ("customer", "Okay. Thanks."),
        ],
    ),
}


def say(text: str, voice: tuple[str, int], rate: int, path: Path) -> float:
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice[0], "-s", str(voice[1]), "-w", str(raw), text], check=True)
    subprocess.run(["sox", "-V1", str(raw), "-r", str(rate), "-c", "1", "-b", "16", str(path)], check=True)
    out = subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True, text=True)
    return float(out.stdout)


def build(name: str, layout: str, rate: int, turns: list[tuple[str, str]], tmp: Path) -> None:
    t = 0.5
    tracks: dict[str, list[str]] = {"agent": [], "customer": []}
    for i, (role, text) in enumerate(turns):
        clip = tmp / f"{i}.wav"
        length = say(text, AGENT_VOICE if role == "agent" else CUSTOMER_VOICE, rate, clip)
        placed = tmp / f"{i}.placed.wav"
        subprocess.run(["sox", "-V1", str(clip), str(placed), "pad", f"{t:.2f}"], check=True)
        tracks[role].append(str(placed))
        t += length + 0.45
    total = f"{t + 0.5:.2f}"
    sides = {}
    for role, clips in tracks.items():
        side = tmp / f"{role}.wav"
        mix = ["-m", *clips] if len(clips) > 1 else clips
        subprocess.run(["sox", "-V1", *mix, str(side), "trim", "0", total], check=True)
        sides[role] = side
    target = OUT / name
    if layout == "mono":
        subprocess.run(["sox", "-V1", "-m", str(sides["agent"]), str(sides["customer"]), str(target)], check=True)
        return
    left, right = (sides["agent"], sides["customer"])
    if layout == "stereo-swapped":
        left, right = right, left
    encoding = ["-e", "u-law"] if target.suffix == ".wav" else []
    subprocess.run(["sox", "-V1", "-M", str(left), str(right), *encoding, str(target)], check=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (layout, rate, turns) in CALLS.items():
        with tempfile.TemporaryDirectory() as tmp:
            build(name, layout, rate, turns, Path(tmp))
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
