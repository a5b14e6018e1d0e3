/// Assignment ids (docs/contract.md "Identifiers"): `<ticket_no>-<unit>` for a unit's first assignment
/// of a ticket, `<ticket_no>-<unit>-<n>` for its n-th.
public enum AssignmentNaming {
    /// The id of `unit`'s next assignment of `ticketNo`, given the ids of the ticket's assignments so
    /// far (every unit's). Unit codes may contain `-` and digits, so another unit's id can look like
    /// this unit's n-th (`QH` 2nd and `QH-2` 1st are both `…-QH-2`): the next free n is taken then.
    public static func nextID(ticketNo: String, unit: String, existing: [(id: String, unit: String)]) -> String {
        let taken = Set(existing.map(\.id))
        var n = existing.count { $0.unit == unit } + 1
        while true {
            let id = n == 1 ? "\(ticketNo)-\(unit)" : "\(ticketNo)-\(unit)-\(n)"
            if !taken.contains(id) { return id }
            n += 1
        }
    }
}
