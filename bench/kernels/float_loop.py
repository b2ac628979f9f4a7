"""Tight float loop: for-range loop, float multiply/add/divide, int->float conversion."""
import sys


def integrate(n):
    # Midpoint rule for the integral of 4/(1+x^2) on [0,1] (= pi) plus a damped oscillator.
    h = 1.0 / n
    s = 0.0
    for i in range(n):
        x = (i + 0.5) * h
        s += 4.0 / (1.0 + x * x)
    pi_est = s * h

    pos = 1.0
    vel = 0.0
    dt = 0.001
    k = 3.0
    c = 0.002
    for _ in range(n):
        acc = -k * pos - c * vel
        vel += acc * dt
        pos += vel * dt
    return pi_est, pos, vel


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1500000
    pi_est, pos, vel = integrate(n)
    print("float_loop n=%d pi=%.12f pos=%.9e vel=%.9e" % (n, pi_est, pos, vel))


if __name__ == "__main__":
    main()
