# Ends with an uncaught exception raised several frames deep (exit 1, traceback on stderr).
class ValidationError(Exception):
    pass

def validate(record):
    if record["qty"] < 0:
        raise ValidationError("negative quantity in record %d" % record["id"])
    return record["qty"] * record["price"]

def process_batch(batch):
    return sum(validate(r) for r in batch)

def process_all(batches):
    totals = []
    for b in batches:
        totals.append(process_batch(b))
        print("batch total", totals[-1])
    return totals

def main():
    batches = []
    for k in range(4):
        batch = [{"id": k * 1000 + i, "qty": (i % 5) + 1, "price": 3} for i in range(1000)]
        batches.append(batch)
    batches[3][700]["qty"] = -2
    # A caught one first, to show handling works before the fatal one
    try:
        validate({"id": -1, "qty": -1, "price": 0})
    except ValidationError as e:
        print("caught:", e)
    process_all(batches)
    print("unreachable")

main()
