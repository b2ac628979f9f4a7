# sqlite3 with a database on disk: created, filled, queried, closed and reopened.
import os
import sqlite3
import tempfile

path = os.path.join(tempfile.mkdtemp(), "scores.db")
con = sqlite3.connect(path)
con.execute("create table scores (id integer primary key, name text not null, score real)")
with con:  # commits
    con.executemany("insert into scores(name, score) values (?, ?)",
                    [(f"player{i}", i * 1.5) for i in range(100)])
con.close()

con = sqlite3.connect(path)
print(con.execute("select count(*), sum(score), max(name) from scores").fetchone())
con.row_factory = sqlite3.Row
row = con.execute("select * from scores where id = ?", (7,)).fetchone()
print(dict(row))
try:
    con.execute("insert into scores(name) values (null)")
except sqlite3.IntegrityError as e:
    print("IntegrityError:", e)
con.rollback()
print([tuple(r) for r in con.execute("select name, score from scores order by score desc limit 3")])
con.close()
os.remove(path)
