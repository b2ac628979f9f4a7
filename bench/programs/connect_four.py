"""Connect Four engine: negamax alpha-beta search with a transposition table.

Stresses: a flat list board with index arithmetic, recursion with many locals,
tuple-of-tuples line tables, win detection by scanning lines, a heuristic
evaluation over all 4-cell windows, Zobrist-style int hashing with XOR, a dict
transposition table storing tuples, move ordering with sorted(key=lambda),
a small Game class driving self-play from a fixed opening.
"""
import sys

COLS = 7
ROWS = 6
SIZE = COLS * ROWS
WIN_SCORE = 100000
EXACT, LOWER, UPPER = 0, 1, 2
CENTER_ORDER = (3, 2, 4, 1, 5, 0, 6)


def idx(col, row):
    return row * COLS + col


def build_windows():
    """All 4-in-a-row windows as tuples of cell indexes."""
    wins = []
    for r in range(ROWS):
        for c in range(COLS):
            for dc, dr in ((1, 0), (0, 1), (1, 1), (1, -1)):
                ec = c + 3 * dc
                er = r + 3 * dr
                if 0 <= ec < COLS and 0 <= er < ROWS:
                    wins.append(tuple(idx(c + k * dc, r + k * dr) for k in range(4)))
    return wins


WINDOWS = tuple(build_windows())
CELL_WINDOWS = tuple(tuple(w for w in WINDOWS if i in w) for i in range(SIZE))
WINDOW_SCORE = (0, 1, 8, 60, 0)
CENTER_BONUS = tuple(3 - abs(i % COLS - 3) for i in range(SIZE))


def make_zobrist(seed):
    x = seed
    table = []
    for i in range(SIZE):
        row = [0, 0, 0]
        for p in (1, 2):
            x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
            row[p] = x >> 3
        table.append(tuple(row))
    return tuple(table)


ZOBRIST = make_zobrist(2024)


class Board(object):
    def __init__(self):
        self.cells = [0] * SIZE
        self.heights = [0] * COLS
        self.key = 0
        self.moves = 0

    def can_play(self, col):
        return self.heights[col] < ROWS

    def play(self, col, player):
        cell = idx(col, self.heights[col])
        self.cells[cell] = player
        self.heights[col] += 1
        self.key ^= ZOBRIST[cell][player]
        self.moves += 1
        return cell

    def undo(self, col, player):
        self.heights[col] -= 1
        cell = idx(col, self.heights[col])
        self.cells[cell] = 0
        self.key ^= ZOBRIST[cell][player]
        self.moves -= 1

    def wins_at(self, cell, player):
        cells = self.cells
        for w in CELL_WINDOWS[cell]:
            if (cells[w[0]] == player and cells[w[1]] == player
                    and cells[w[2]] == player and cells[w[3]] == player):
                return True
        return False

    def evaluate(self, player):
        """Heuristic score from player's point of view."""
        cells = self.cells
        other = 3 - player
        score = 0
        for w in WINDOWS:
            mine = 0
            theirs = 0
            for i in w:
                v = cells[i]
                if v == player:
                    mine += 1
                elif v == other:
                    theirs += 1
            if theirs == 0:
                score += WINDOW_SCORE[mine]
            elif mine == 0:
                score -= WINDOW_SCORE[theirs]
        for i in range(SIZE):
            v = cells[i]
            if v == player:
                score += CENTER_BONUS[i]
            elif v == other:
                score -= CENTER_BONUS[i]
        return score


class Searcher(object):
    def __init__(self, board):
        self.board = board
        self.table = {}
        self.nodes = 0
        self.tt_hits = 0
        self.history = [0] * COLS

    def ordered_moves(self, best_first):
        moves = [c for c in CENTER_ORDER if self.board.can_play(c)]
        hist = self.history
        moves.sort(key=lambda c: -hist[c])
        if best_first is not None and best_first in moves:
            moves.remove(best_first)
            moves.insert(0, best_first)
        return moves

    def negamax(self, depth, alpha, beta, player):
        self.nodes += 1
        board = self.board
        if board.moves == SIZE:
            return 0
        alpha0 = alpha
        entry = self.table.get(board.key)
        best_move = None
        if entry is not None:
            edepth, flag, value, move = entry
            best_move = move
            if edepth >= depth:
                self.tt_hits += 1
                if flag == EXACT:
                    return value
                if flag == LOWER and value > alpha:
                    alpha = value
                elif flag == UPPER and value < beta:
                    beta = value
                if alpha >= beta:
                    return value
        if depth == 0:
            return board.evaluate(player)
        # immediate win check
        for col in CENTER_ORDER:
            if board.can_play(col):
                cell = board.play(col, player)
                won = board.wins_at(cell, player)
                board.undo(col, player)
                if won:
                    return WIN_SCORE + depth
        best = -WIN_SCORE * 2
        chosen = None
        for col in self.ordered_moves(best_move):
            board.play(col, player)
            score = -self.negamax(depth - 1, -beta, -alpha, 3 - player)
            board.undo(col, player)
            if score > best:
                best = score
                chosen = col
            if best > alpha:
                alpha = best
            if alpha >= beta:
                self.history[col] += depth * depth
                break
        if best <= alpha0:
            flag = UPPER
        elif best >= beta:
            flag = LOWER
        else:
            flag = EXACT
        self.table[board.key] = (depth, flag, best, chosen)
        return best

    def best_move(self, depth, player):
        best_col = None
        best_score = None
        for d in range(1, depth + 1):  # iterative deepening fills the table
            alpha = -WIN_SCORE * 2
            beta = WIN_SCORE * 2
            best_score = None
            for col in self.ordered_moves(best_col):
                self.board.play(col, player)
                s = -self.negamax(d - 1, -beta, -alpha, 3 - player)
                self.board.undo(col, player)
                if best_score is None or s > best_score:
                    best_score = s
                    best_col = col
                if s > alpha:
                    alpha = s
        return best_col, best_score


def render(board):
    rows = []
    for r in range(ROWS - 1, -1, -1):
        rows.append("".join(".XO"[board.cells[idx(c, r)]] for c in range(COLS)))
    return "/".join(rows)


def play_game(opening, depth, max_moves):
    board = Board()
    player = 1
    for col in opening:
        board.play(col, player)
        player = 3 - player
    searcher = Searcher(board)
    moves = []
    scores = []
    winner = 0
    for _ in range(max_moves):
        searcher.table = {}
        col, score = searcher.best_move(depth, player)
        if col is None:
            break
        cell = board.play(col, player)
        moves.append(col)
        scores.append(score)
        if board.wins_at(cell, player):
            winner = player
            break
        if board.moves == SIZE:
            break
        player = 3 - player
    return board, moves, scores, winner, searcher


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    total_nodes = 0
    total_hits = 0
    h = 0
    summary = []
    for opening in ((3, 3), (2, 4, 3), (3, 2, 3, 4)):
        board, moves, scores, winner, searcher = play_game(opening, n, 3)
        total_nodes += searcher.nodes
        total_hits += searcher.tt_hits
        summary.append("%s:%d" % ("".join(str(m) for m in moves), winner))
        for s in scores:
            h = (h * 1000003 + s) & 0xFFFFFFFF
        for ch in render(board):
            h = (h * 31 + ord(ch)) & 0xFFFFFFFF
    print("connect_four n=%d games=%s nodes=%d hits=%d h=%d" % (
        n, ",".join(summary), total_nodes, total_hits, h))


if __name__ == "__main__":
    main()
