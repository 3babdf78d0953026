// Debian's busybox (unmodified, i386) on the teaching kernel: busybox sh
// runs scripts with the applets a shell user reaches for, and each
// section's output is compared with the same binary under qemu-i386 on
// the same files. Where an applet reports the machine (df, mount, ps, id,
// uname), the section prints what does not depend on which machine it is.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compareScript, linuxTest } from "./linux.js";

const t = linuxTest({ busybox: true, qemu: true });

const poem = "Tyger Tyger, burning bright,\nIn the forests of the night;\nWhat immortal hand or eye,\n" +
  "Could frame thy fearful symmetry?\n\nIn what distant deeps or skies.\nBurnt the fire of thine eyes?\n" +
  "On what wings dare he aspire?\nWhat the hand, dare seize the fire?\n";
const table = "name,qty,price\napple,3,0.5\nbanana,12,0.25\ncherry,100,0.1\ndate,7,2\napple,1,0.5\n";
const tree = {
  "data/poem.txt": poem,
  "data/table.csv": table,
  "data/numbers.txt": Array.from({ length: 200 }, (_, i) => `${(i * 7919) % 1000}`).join("\n") + "\n",
  "data/bytes.bin": Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff),
  "data/sub/one.txt": "one\n",
  "data/sub/deeper/two.txt": "two\ntwo\n",
};

// [name, the applets it exercises, script]
const sections: [string, string][] = [
  ["echo and printf", `
echo plain words; echo -n no newline; echo; echo -e 'tab\\there\\nnext'
printf '%s|%5s|%-5s|%d|%05.1f|%x|%o|%c\\n' str right left 42 3.14159 255 8 A
printf '%b\\n' 'escapes\\ttoo'; printf '%s\\n' a b c`],
  ["cat and tac", `cat -n data/poem.txt | head -3; cat data/sub/one.txt data/sub/deeper/two.txt; tac data/sub/deeper/two.txt`],
  ["grep", `
grep -n fire data/poem.txt; grep -c the data/poem.txt; grep -i TYGER data/poem.txt
grep -v -e '^$' -e What data/poem.txt | head -3; grep -E 'bright|night' data/poem.txt
grep -o 'f[a-z]*' data/poem.txt; grep -rl two data | sort; grep -w hand data/poem.txt; grep -q nothing data/poem.txt; echo "q: $?"`],
  ["sed", `
sed 's/fire/FIRE/g' data/poem.txt | grep FIRE; sed -n '2,3p' data/poem.txt; sed '/^$/d;s/^/> /' data/poem.txt | tail -2
cp data/poem.txt p.txt; sed -i 's/Tyger/Tiger/' p.txt; head -1 p.txt; sed -e 'y/abc/ABC/' -e '1q' data/table.csv`],
  ["awk", `
awk -F, 'NR > 1 { s += $2 * $3 } END { printf "total %.2f\\n", s }' data/table.csv
awk -F, 'NR > 1 { n[$1] += $2 } END { for (k in n) print k, n[k] }' data/table.csv | sort
awk '{ print NR": "length($0) }' data/poem.txt | head -4; awk 'BEGIN { print 2^10, int(7/2), substr("hello", 2, 3), toupper("x") }'
echo "a b c" | awk '{ $2 = "B"; print; print NF }'`],
  ["sort and uniq", `
sort data/poem.txt | head -3; sort -n data/numbers.txt | tail -3; sort -rn data/numbers.txt | head -2
sort -t, -k2,2n data/table.csv; cut -d, -f1 data/table.csv | sort | uniq -c; cut -d, -f1 data/table.csv | sort | uniq -d
sort -u data/numbers.txt | wc -l; printf 'b\\na\\nb\\n' | sort -u`],
  ["wc, head and tail", `
wc data/poem.txt; wc -l data/numbers.txt; wc -c data/bytes.bin; wc -w < data/poem.txt
head -n 2 data/poem.txt; head -c 10 data/poem.txt; echo; tail -n 2 data/poem.txt; tail -n +8 data/poem.txt; tail -c 8 data/poem.txt`],
  ["cut, tr, paste, rev, nl", `
cut -d, -f1,3 data/table.csv; cut -c1-5 data/poem.txt | head -2; echo hello | tr a-z A-Z; echo 'a  b   c' | tr -s ' '
echo hello | tr -d l; paste -d: data/sub/one.txt data/sub/deeper/two.txt; echo stressed | rev; nl data/sub/deeper/two.txt`],
  ["find and xargs", `
find data | sort; find data -name '*.txt' | sort; find data -type d | sort; find data -type f -size +1k
find data/sub -name '*.txt' -exec cat {} \\;; find data -name two.txt | xargs wc -l; echo 1 2 3 4 | xargs -n 2 echo
echo a b | xargs -I X echo [X]; printf '%s\\n' x y | xargs echo`],
  ["files: mkdir, cp, mv, rm, ln, touch", `
mkdir -p w/a/b; cp data/poem.txt w/a/; cp -r data/sub w/; mv w/a/poem.txt w/a/b/verse; touch w/empty
ln -s b/verse w/a/link; ln w/empty w/hard; cat w/a/link | head -1; readlink w/a/link; find w | sort
ls w; ls -1 w/a; ls -a w/a; rm w/hard; rm -r w/sub; rmdir w/a 2>&1; ls w; rm -rf w; ls w 2>&1`],
  ["ls -l of files", `
mkdir l; cd l; printf 123 > f; chmod 640 f; ln -s f g; mkdir d; chmod 751 d
ls -l f | cut -c1-10; ls -ld d | cut -c1-10; ls -l g | cut -c1-10; ls -l g | sed 's/.* g/g/'
ls -l f | awk '{ print $2, $5 }'; ls -F; ls -R; cd ..`],
  ["mkfifo: named pipes", `
mkfifo ff; ls -l ff | cut -c1 ; sh -c 'echo via the fifo > ff' & sh -c 'cat ff'; wait
exec 3<> ff; echo both ends >&3; read x <&3; echo "read: $x"; exec 3>&-; rm ff; [ -e ff ] || echo gone`],
  ["chmod and stat", `
touch m; chmod 755 m; stat -c '%a %F %s %n' m; chmod go-x m; stat -c '%a %A' m; chmod u+s,o=r m; stat -c '%a %A' m
mkdir sd; stat -c '%F %a' sd; stat -c '%s %F' data/bytes.bin; ln -s m ml; stat -c '%F %N' ml`],
  ["checksums", `
md5sum data/poem.txt data/bytes.bin; sha1sum data/poem.txt; sha256sum data/bytes.bin; sha512sum data/sub/one.txt
md5sum data/poem.txt > sums; md5sum -c sums; base64 data/sub/one.txt
echo b25lCg== | base64 -d`],
  ["tar, gzip, cpio", `
tar cf a.tar data/sub; tar tf a.tar | sort; mkdir x; cd x; tar xf ../a.tar; find . -type f | sort; cd ..
cat data/poem.txt | gzip > p.gz; gzip -t p.gz && echo ok; gunzip -c p.gz | md5sum; zcat p.gz | wc -l
gzip -c data/numbers.txt | gunzip | cmp - data/numbers.txt && echo same; tar czf b.tgz data/sub; tar tzf b.tgz | sort
find data/sub -type f | sort | cpio -o -H newc 2>/dev/null | cpio -t 2>/dev/null`],
  ["od and hexdump", `
od -c data/sub/one.txt; od -A x -t x1 -N 16 data/bytes.bin; od -An -tu2 -N 8 data/bytes.bin
hexdump -C -n 40 data/bytes.bin; hexdump -n 8 data/bytes.bin; echo hi | xxd`],
  ["diff and cmp", `
printf 'a\\nb\\nc\\n' > d1; printf 'a\\nB\\nc\\nd\\n' > d2; diff d1 d2; echo "diff: $?"; diff -u d1 d2; diff d1 d1; echo "same: $?"
cmp d1 d2; echo "cmp: $?"; cmp -l d1 d2 2>&1 | head -2; cmp data/poem.txt data/poem.txt && echo equal`],
  ["dd", `
dd if=data/bytes.bin of=dd.out bs=16 count=3 2>/dev/null; wc -c < dd.out; dd if=data/bytes.bin bs=1 skip=290 2>/dev/null | od -An -tx1
echo hello | dd conv=ucase 2>/dev/null; dd if=/dev/zero bs=512 count=4 2>/dev/null | wc -c; dd if=data/poem.txt bs=4 count=2 2>&1 | head -2`],
  ["date and time", `
date -u -d @0; date -u -d @1234567890 '+%Y-%m-%d %H:%M:%S %j %a %b'; date -u -d '2000-02-29 12:34:56' +%s
TZ=UTC0 date -d @86400 +%A; touch -d '2021-03-04 05:06:07' stamp; date -u -r stamp '+%F %T'; stat -c %Y stamp
sleep 0.2; echo slept; time true 2>/dev/null; echo timed`],
  ["expr, test, seq, factor", `
expr 3 + 4 \\* 5; expr 17 / 3; expr 17 % 3; expr length hello; expr substr hello 2 3; expr abc : 'a\\(.\\)'; expr 1 = 2
test 3 -lt 5 && echo lt; [ -d data ] && echo dir; [ -f data ] || echo notfile; [ abc = abc ] && echo eq; [ -z "" ] && echo empty
[ -s data/poem.txt ] && echo nonempty; [ data/poem.txt -nt data ] ; seq 3; seq 2 3 11; seq -s, 5; seq 1 0.5 2.5; factor 360 97`],
  ["shell: variables, arithmetic, control", `
x=5; y=$((x * 3 + 1)); echo $y $((y % 4)) $((1 << 10)); s=hello; echo \${#s} \${s#h} \${s%lo} \${s:1:3} \${u:-default}
for i in 1 2 3; do case $i in 1) echo one;; 2) echo two;; *) echo many;; esac; done
n=0; while [ $n -lt 3 ]; do n=$((n+1)); done; echo $n; f() { echo "args: $# $1 $2"; return 3; }; f a b; echo "ret $?"
set -- p q r; echo "$2" "$#"; shift; echo "$@"; echo "$(echo nested $(echo deep))"; echo \`echo backq\`
cat <<EOF
here $x
document
EOF
(cd data && pwd | sed 's|.*/||'); echo after; v=outer; (v=inner); echo $v; { echo grouped; } | cat
read a b <<EOF
first second third
EOF
echo "$a/$b"; IFS=, read -r c1 c2 c3 < data/table.csv; echo $c2`],
  ["shell: pipes, redirections, exit statuses", `
echo out > o.txt; echo more >> o.txt; cat < o.txt; ls nosuch 2> e.txt; grep -c nosuch e.txt; echo both > b.txt 2>&1
true | false; echo "pipe status $?"; false || echo or; true && echo and; ! false && echo not
exec 3> fd3.txt; echo to fd3 >&3; exec 3>&-; cat fd3.txt; sh -c 'exit 7'; echo "sh exit $?"
(exit 4); echo "subshell $?"; nosuchcommand 2>/dev/null; echo "not found $?"; yes | head -3; seq 1000 | tail -1`],
  ["shell: traps, signals and jobs", `
trap 'echo trapped USR1' USR1; kill -USR1 $$; trap - USR1; trap 'echo at exit' EXIT
sleep 10 & p=$!; kill $p; wait $p; echo "killed: $?"; sleep 10 & p=$!; kill -9 $p; wait $p; echo "killed -9: $?"
(sleep 0.1; echo background) & wait; echo waited; kill -l 15; kill -l | head -1 | cut -c1-20
sh -c 'kill -TERM $$'; echo "self-kill $?"; timeout 1 sleep 5; echo "timeout $?"`],
  ["env, basename, dirname, realpath", `
env -i A=1 B=two env; env -i X=1 sh -c 'echo $X'; env -u HOME sh -c 'echo "\${HOME:-unset}"'; env | grep '^TZ='; env | grep -c .
basename /a/b/c.txt; basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname file; cd data; realpath sub/../sub/one.txt | sed 's|.*/data/|data/|'
readlink -f sub/deeper/../one.txt | sed 's|.*/data/|data/|'; cd ..`],
  ["text tools: fold, expand, strings, tee, uniq -u", `
echo 'a long line to be folded at ten' | fold -w 10; printf 'a\\tb\\n' | expand -t 4 | od -c | head -1
printf 'a\\nb\\nb\\nc\\n' | uniq -u; strings -n 6 data/poem.txt | head -2; printf 'x\\ny\\n' | tee t1 t2 > /dev/null; cat t1 t2`],
  ["machine facts: uname, df, mount, ps, id", `
uname -m; df -P /dev | head -1; df -P /dev | awk 'NR == 2 { print ($2 > 0), $6 }'
mount | grep -c ' on /proc type proc'; ps | head -1; ps -o pid | grep -c "^ *$$\\$"; [ "$(id -u)" = "$(id -u)" ] && echo id
sleep 5 & p=$!; ps -o pid | grep -c "^ *$p\\$"; kill $p; nproc | grep -c '^[0-9]'`],
];

let run: Awaited<ReturnType<typeof compareScript>> | undefined;

async function results() {
  if (run) return run;
  const script = sections.map(([name, body], i) => `echo "=== ${name}"\nmkdir s${i} && cd s${i} && cp -r ../data .\n${body.trim()}\ncd ..\n`).join("");
  run = await compareScript(script, tree);
  console.log(`busybox sections: ${run.kernelMs} ms on the kernel, ${run.qemuMs} ms under qemu-i386`);
  return run;
}

for (const [name] of sections)
  t(`busybox ${name}: the same output as under qemu-i386`, async () => {
    const r = await results();
    assert.ok(r.kernel.has(name), `no output for ${name}; the console:\n${r.console.slice(-2000)}`);
    assert.is(r.kernel.get(name), r.qemu.get(name));
  });

test.run();
