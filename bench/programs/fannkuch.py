"""Fannkuch-redux: permutation generation and prefix reversal.

Stresses: list slicing and slice assignment, list indexing, small-int loops.
"""
import sys


def fannkuch(n):
    perm1 = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    nperm = 0
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        perm = perm1[:]
        flips = 0
        k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        if nperm & 1:
            checksum -= flips
        else:
            checksum += flips
        nperm += 1
        # next permutation (rotation scheme)
        while True:
            if r == n:
                return checksum, max_flips, nperm
            p0 = perm1[0]
            i = 0
            while i < r:
                perm1[i] = perm1[i + 1]
                i += 1
            perm1[r] = p0
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


def main():
    # size = n (permutation length); optional second argument = repetitions.
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    total = 0
    for _ in range(reps):
        checksum, max_flips, nperm = fannkuch(n)
        total += checksum
    print("fannkuch n=%d reps=%d checksum=%d maxflips=%d perms=%d" % (n, reps, total, max_flips, nperm))


if __name__ == "__main__":
    main()
