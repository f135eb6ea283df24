"""Reinforcement learning on a grid world: tabular Q-learning with an ε-greedy policy.

An agent learns actions that reach a goal in an environment, from rewards alone: a
:class:`GridWorld` (start, goal, pits, walls; every move costs a little), and
:func:`q_learning`, which improves a table ``Q(s, a)`` after every move::

    Q(s, a) ← Q(s, a) + α [ r + γ max_a' Q(s', a') − Q(s, a) ]      (no max term at the end)
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

ACTIONS = ((-1, 0), (0, 1), (1, 0), (0, -1))   # up, right, down, left (row, column steps)
ARROWS = "↑→↓←"
STEP_REWARD, GOAL_REWARD, PIT_REWARD = -0.04, 1.0, -1.0

LAYOUTS = {
    "pit": ("....G",
            ".##.P",
            ".....",
            ".#P#.",
            "S...."),
    "detour": ("S.#.G",
               "..#..",
               "..#P.",
               ".....",
               "P#..."),
    "cliff": (".......",
              ".......",
              ".......",
              "SPPPPPG"),
}
LAYOUT_NAMES = {"pit": "walls and two pits", "detour": "a wall to walk around", "cliff": "the cliff"}


@dataclass(frozen=True)
class GridWorld:
    """A grid from strings: ``S`` start, ``G`` goal (+1, ends), ``P`` pit (−1, ends), ``#`` wall, ``.`` free.

    Every move costs −0.04 (so shorter is better); moving into a wall or off the grid leaves the
    agent where it is (and still costs). States are cells, numbered ``row * width + column``.
    """

    rows: tuple[str, ...]

    def __post_init__(self):
        widths = {len(r) for r in self.rows}
        if len(widths) != 1:
            raise ValueError("every row of the layout must have the same length")
        text = "".join(self.rows)
        if text.count("S") != 1 or "G" not in text:
            raise ValueError("a layout needs exactly one start S and at least one goal G")
        if set(text) - set("SGP#."):
            raise ValueError("a layout uses only the characters S, G, P, # and .")

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), len(self.rows[0])

    @property
    def n_states(self) -> int:
        return self.shape[0] * self.shape[1]

    def cell(self, s: int) -> str:
        return self.rows[s // self.shape[1]][s % self.shape[1]]

    @property
    def start(self) -> int:
        return "".join(self.rows).index("S")

    def terminal(self, s: int) -> bool:
        return self.cell(s) in "GP"

    def move(self, s: int, a: int) -> tuple[int, float, bool]:
        """``(next state, reward, episode over)`` for action ``a`` in state ``s``."""
        H, W = self.shape
        r, c = divmod(s, W)
        r2, c2 = r + ACTIONS[a][0], c + ACTIONS[a][1]
        if not (0 <= r2 < H and 0 <= c2 < W) or self.rows[r2][c2] == "#":
            r2, c2 = r, c
        s2 = r2 * W + c2
        kind = self.cell(s2)
        if kind == "G":
            return s2, GOAL_REWARD, True
        if kind == "P":
            return s2, PIT_REWARD, True
        return s2, STEP_REWARD, False

    def tables(self) -> tuple[list, list, list]:
        """Lookup tables ``next[s][a]``, ``reward[s][a]``, ``done[s][a]`` (python lists: fast to index)."""
        moves = [[self.move(s, a) for a in range(4)] for s in range(self.n_states)]
        return ([[m[0] for m in row] for row in moves], [[m[1] for m in row] for row in moves],
                [[m[2] for m in row] for row in moves])

    def shortest_path(self) -> int | None:
        """Fewest moves from S to a goal avoiding pits (breadth-first search), None if unreachable."""
        seen, queue = {self.start: 0}, deque([self.start])
        while queue:
            s = queue.popleft()
            for a in range(4):
                s2, _, _ = self.move(s, a)
                if s2 in seen or self.cell(s2) == "P":
                    continue
                seen[s2] = seen[s] + 1
                if self.cell(s2) == "G":
                    return seen[s2]
                queue.append(s2)
        return None


@dataclass(frozen=True)
class QLearningRun:
    """What :func:`q_learning` learned and how it went, episode by episode."""

    Q: np.ndarray          # [states, 4]
    returns: np.ndarray    # total reward of each episode
    lengths: np.ndarray    # moves in each episode
    outcome: np.ndarray    # +1 reached a goal, −1 fell in a pit, 0 ran out of moves
    visits: np.ndarray     # how often each state was left by a move

    def values(self) -> np.ndarray:
        """``V(s) = max_a Q(s, a)`` (0 for states never visited)."""
        return self.Q.max(axis=1)

    def policy(self) -> np.ndarray:
        """The greedy action ``argmax_a Q(s, a)`` of every state (ties: the first of up, right, down, left)."""
        return self.Q.argmax(axis=1)


def q_learning(world: GridWorld, episodes: int = 500, alpha: float = 0.5, gamma: float = 0.95,
               epsilon: float = 0.1, seed: int = 0, max_steps: int = 100) -> QLearningRun:
    """Tabular Q-learning with an ε-greedy behaviour policy, from ``Q = 0``.

    Each episode starts at S and ends at a goal, a pit, or after ``max_steps`` moves. At each
    move: with probability ε a random action, else the greedy one (ties broken at random);
    then ``Q(s, a) ← Q(s, a) + α [r + γ max_a' Q(s', a') − Q(s, a)]`` (just ``r`` when the move ends
    the episode). Seeded: the same arguments give the same run.
    """
    if not (0 <= alpha <= 1 and 0 <= gamma <= 1 and 0 <= epsilon <= 1):
        raise ValueError("alpha, gamma and epsilon must each be between 0 and 1")
    episodes, max_steps = int(episodes), int(max_steps)
    nxt, rew, done = world.tables()
    Q = [[0.0] * 4 for _ in range(world.n_states)]
    visits = [0] * world.n_states
    returns, lengths, outcome = np.zeros(episodes), np.zeros(episodes, dtype=int), np.zeros(episodes, dtype=int)
    rng = np.random.default_rng([seed, 31])
    block, pos = 8192, 8192
    coin = acts = ties = None
    start = world.start
    for ep in range(episodes):
        s, total, moves, end = start, 0.0, 0, 0
        while moves < max_steps:
            if pos >= block:
                coin, acts = rng.random(block).tolist(), rng.integers(0, 4, block).tolist()
                ties = rng.random(block).tolist()
                pos = 0
            q = Q[s]
            if coin[pos] < epsilon:
                a = acts[pos]
            else:
                best = max(q)
                if q.count(best) == 1:
                    a = q.index(best)
                else:
                    options = [i for i in range(4) if q[i] == best]
                    a = options[int(ties[pos] * len(options))]
            pos += 1
            s2, r, d = nxt[s][a], rew[s][a], done[s][a]
            target = r if d else r + gamma * max(Q[s2])
            q[a] += alpha * (target - q[a])
            visits[s] += 1
            total += r
            moves += 1
            s = s2
            if d:
                end = 1 if r == GOAL_REWARD else -1
                break
        returns[ep], lengths[ep], outcome[ep] = total, moves, end
    return QLearningRun(np.array(Q), returns, lengths, outcome, np.array(visits))


def greedy_path(world: GridWorld, Q: np.ndarray, max_steps: int = 100) -> tuple[list[int], int]:
    """Follow ``argmax_a Q`` from S: ``(states visited, outcome)``; outcome +1 goal, −1 pit, 0 stuck
    (a state repeats, so the greedy agent loops for ever, or ``max_steps`` ran out)."""
    s, path = world.start, [world.start]
    seen = {s}
    for _ in range(max_steps):
        s, r, d = world.move(s, int(np.argmax(Q[s])))
        path.append(s)
        if d:
            return path, 1 if r == GOAL_REWARD else -1
        if s in seen:
            return path, 0
        seen.add(s)
    return path, 0


def moving_average(x: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last ``window`` values at each point (fewer at the start): same length as ``x``."""
    x = np.asarray(x, dtype=float)
    window = max(1, int(window))
    c = np.cumsum(np.r_[0.0, x])
    i = np.arange(1, x.size + 1)
    lo = np.maximum(0, i - window)
    return (c[i] - c[lo]) / (i - lo)
