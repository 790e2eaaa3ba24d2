# The shell anchor's comparison (issue 17): is every pod's A record its IP and nothing else, the PTR
# of every pod IP its name and nothing else, and (with pins) every pod's claim Bound to its pinned
# volume? Exit 1 naming each mismatch, 0 when all hold.
#
# awk -v svc=SERVICE -v ns=NAMESPACE -v sts=STATEFULSET -v domain=cluster.local [-v claim=TEMPLATE -v pins=PREFIX]
#     -f anchor.awk OBJECTS ANSWERS
# OBJECTS: lines "Pod <name> <podIP> <phase>" and "PersistentVolumeClaim <name> <volumeName> <phase>"
#   (one `kubectl get pods,pvc -o jsonpath`); ANSWERS: `dig +noall +answer` lines (one `dig -f` run).
# A pod's pinned volume is PREFIX followed by its ordinal in three digits.
FNR == NR {
    if ($1 == "Pod") { ip[$2] = $3; pods++ }
    else if ($1 == "PersistentVolumeClaim") { bound[$2] = $3 " " $4 }
    next
}
$4 == "A" { a[tolower($1)] = a[tolower($1)] " " $5; next }
$4 == "PTR" {
    split($1, o, ".")
    addr = o[4] "." o[3] "." o[2] "." o[1]
    ptr[addr] = ptr[addr] " " tolower($5)
    next
}
END {
    bad = 0
    if (pods == 0) { print "no pods"; bad++ }
    for (p in ip) {
        name = tolower(p "." svc "." ns ".svc." domain ".")
        if (ip[p] == "") { print "pod " p ": no IP"; bad++; continue }
        if (a[name] != " " ip[p]) { print "A " name ":" (a[name] == "" ? " (none)" : a[name]) " != " ip[p]; bad++ }
        if (ptr[ip[p]] != " " name) { print "PTR " ip[p] ":" (ptr[ip[p]] == "" ? " (none)" : ptr[ip[p]]) " != " name; bad++ }
        if (pins != "") {
            want = sprintf("%s%03d Bound", pins, substr(p, length(sts) + 2))
            if (bound[claim "-" p] != want) { print "claim " claim "-" p ": '" bound[claim "-" p] "' != '" want "'"; bad++ }
        }
    }
    exit bad > 0
}
