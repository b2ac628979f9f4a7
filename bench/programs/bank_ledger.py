"""Object-oriented bank simulation: accounts, transfers, interest, fees, statements.

Stresses: a small class hierarchy with overridden methods and super() calls,
@property getters/setters, __init__ with several attributes, class attributes,
__eq__/__hash__ used for dict keys, __repr__ and %-formatting of statements,
a custom exception raised and caught on insufficient funds, many small methods.
Amounts are integer cents so results are exact on every runtime.
"""
import sys


class InsufficientFunds(Exception):
    def __init__(self, account, amount):
        Exception.__init__(self, "insufficient funds")
        self.account = account
        self.amount = amount


class Money(object):
    __slots__ = ("cents",)

    def __init__(self, cents):
        self.cents = cents

    def __add__(self, other):
        return Money(self.cents + other.cents)

    def __sub__(self, other):
        return Money(self.cents - other.cents)

    def __lt__(self, other):
        return self.cents < other.cents

    def __repr__(self):
        sign = "-" if self.cents < 0 else ""
        c = abs(self.cents)
        return "%s%d.%02d" % (sign, c // 100, c % 100)


class AccountId(object):
    def __init__(self, branch, number):
        self.branch = branch
        self.number = number

    def __eq__(self, other):
        return self.branch == other.branch and self.number == other.number

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self.branch * 1000003 + self.number

    def __repr__(self):
        return "%02d-%06d" % (self.branch, self.number)


class Account(object):
    kind = "base"
    monthly_fee = 0
    rate_bp = 0  # yearly interest in basis points

    def __init__(self, ident, owner, opening):
        self.ident = ident
        self.owner = owner
        self._balance = opening
        self.history = []
        self.fees_paid = 0
        self.interest_paid = 0
        self.rejected = 0

    @property
    def balance(self):
        return self._balance

    @balance.setter
    def balance(self, value):
        self._balance = value

    @property
    def available(self):
        return self._balance

    def can_withdraw(self, amount):
        return amount <= self.available

    def deposit(self, amount, memo):
        self.balance = self.balance + amount
        self.history.append((memo, amount))

    def withdraw(self, amount, memo):
        if not self.can_withdraw(amount):
            self.rejected += 1
            raise InsufficientFunds(self, amount)
        self.balance = self.balance - amount
        self.history.append((memo, -amount))

    def month_interest(self):
        return self._balance * self.rate_bp // 120000 if self._balance > 0 else 0

    def month_fee(self):
        return self.monthly_fee

    def close_month(self):
        interest = self.month_interest()
        if interest:
            self.deposit(interest, "interest")
            self.interest_paid += interest
        fee = self.month_fee()
        if fee:
            self._balance -= fee
            self.history.append(("fee", -fee))
            self.fees_paid += fee

    def __repr__(self):
        return "<%s %r %s %s>" % (self.kind, self.ident, self.owner, Money(self._balance))


class Checking(Account):
    kind = "checking"
    monthly_fee = 500
    overdraft = 20000

    @property
    def available(self):
        return self._balance + self.overdraft

    def month_fee(self):
        # fee waived for well-funded accounts, extra fee when overdrawn
        if self._balance >= 150000:
            return 0
        if self._balance < 0:
            return self.monthly_fee + 2500
        return self.monthly_fee


class Savings(Account):
    kind = "savings"
    rate_bp = 325
    max_withdrawals = 6

    def __init__(self, ident, owner, opening):
        super(Savings, self).__init__(ident, owner, opening)
        self.withdrawals = 0

    def can_withdraw(self, amount):
        return self.withdrawals < self.max_withdrawals and Account.can_withdraw(self, amount)

    def withdraw(self, amount, memo):
        Account.withdraw(self, amount, memo)
        self.withdrawals += 1

    def close_month(self):
        Account.close_month(self)
        self.withdrawals = 0


class Credit(Account):
    kind = "credit"
    rate_bp = 1999
    limit = 500000

    @property
    def available(self):
        return self._balance + self.limit

    def month_interest(self):
        # credit accounts are charged interest on a negative balance
        if self._balance < 0:
            return -((-self._balance) * self.rate_bp // 120000)
        return 0


class Transaction(object):
    __slots__ = ("src", "dst", "amount", "day", "ok")

    def __init__(self, src, dst, amount, day):
        self.src = src
        self.dst = dst
        self.amount = amount
        self.day = day
        self.ok = False

    def __repr__(self):
        return "T(%r->%r %s d%d)" % (self.src, self.dst, Money(self.amount), self.day)


class Ledger(object):
    def __init__(self):
        self.accounts = {}
        self.by_owner = {}
        self.journal = []
        self.failed = 0
        self.pair_volume = {}

    def open(self, account):
        self.accounts[account.ident] = account
        self.by_owner.setdefault(account.owner, []).append(account)

    def lookup(self, branch, number):
        return self.accounts[AccountId(branch, number)]

    def apply(self, tx):
        src = self.accounts[tx.src]
        dst = self.accounts[tx.dst]
        try:
            src.withdraw(tx.amount, "to %r" % (tx.dst,))
        except InsufficientFunds as e:
            self.failed += 1
            return False
        dst.deposit(tx.amount, "from %r" % (tx.src,))
        tx.ok = True
        self.journal.append(tx)
        key = (tx.src, tx.dst)
        self.pair_volume[key] = self.pair_volume.get(key, 0) + tx.amount
        return True

    def close_month(self):
        for acct in self.accounts.values():
            acct.close_month()

    def total(self):
        t = 0
        for acct in self.accounts.values():
            t += acct.balance
        return t


def statement(acct):
    lines = ["Statement for %r" % (acct,)]
    running = 0
    for memo, amount in acct.history[-8:]:
        running += amount
        lines.append("  %-20s %12s %12s" % (memo, Money(amount), Money(running)))
    lines.append("  fees %s interest %s rejected %d" % (
        Money(acct.fees_paid), Money(acct.interest_paid), acct.rejected))
    return "\n".join(lines)


def build_bank(n_accounts, seed):
    ledger = Ledger()
    ids = []
    x = seed
    kinds = (Checking, Savings, Credit, Checking, Savings)
    for i in range(n_accounts):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        cls = kinds[i % len(kinds)]
        ident = AccountId(1 + i % 7, 100000 + i * 37)
        owner = "cust%03d" % (x % (n_accounts // 2 + 1))
        opening = 0 if cls is Credit else 10000 + (x >> 7) % 300000
        ledger.open(cls(ident, owner, opening))
        ids.append(ident)
    return ledger, ids


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40000
    ledger, ids = build_bank(300, 12345)
    nids = len(ids)
    x = 987654321
    months = 12
    per_month = n // months
    day = 0
    for month in range(months):
        for k in range(per_month):
            x = (x * 1103515245 + 12345) & 0x7FFFFFFF
            a = x % nids
            b = (x >> 9) % nids
            if a == b:
                b = (b + 1) % nids
            amount = 100 + (x >> 3) % 60000
            day = month * 30 + k * 30 // per_month
            # rebuild the keys as fresh objects: lookups go through __hash__/__eq__
            src = AccountId(ids[a].branch, ids[a].number)
            dst = AccountId(ids[b].branch, ids[b].number)
            ledger.apply(Transaction(src, dst, amount, day))
        ledger.close_month()
    total = ledger.total()
    h = 0
    text_len = 0
    for ident in ids[::23]:
        s = statement(ledger.accounts[ident])
        text_len += len(s)
        for ch in s:
            h = (h * 131 + ord(ch)) & 0xFFFFFFFF
    fees = sum(a.fees_paid for a in ledger.accounts.values())
    interest = sum(a.interest_paid for a in ledger.accounts.values())
    richest = max(ledger.by_owner.items(), key=lambda kv: (sum(a.balance for a in kv[1]), kv[0]))
    top_pair = max(ledger.pair_volume.items(), key=lambda kv: (kv[1], repr(kv[0])))
    last = repr(ledger.journal[-1])
    print("bank_ledger n=%d ok=%d failed=%d total=%s fees=%s interest=%s richest=%s top=%r:%s last=%s text=%d h=%d" % (
        n, len(ledger.journal), ledger.failed, Money(total), Money(fees), Money(interest),
        richest[0], top_pair[0][0], Money(top_pair[1]), last, text_len, h))


if __name__ == "__main__":
    main()
