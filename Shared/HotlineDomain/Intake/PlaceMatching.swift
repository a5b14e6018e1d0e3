import Foundation

/// Comparing places (并案 at the same place, PS §15(二)): normalised house addresses and distances.
public enum PlaceMatching {
    /// The mean Earth radius used for distances, in metres.
    public static let earthRadius = 6_371_008.8

    /// An address as compared for merging: trimmed, runs of whitespace collapsed to one space,
    /// full-width ASCII forms (Ａ-Ｚ, ０-９, the ideographic space…) turned into their ASCII forms,
    /// letters lower-cased, and trailing punctuation dropped. Nil when nothing is left.
    public static func normalizeAddress(_ address: String?) -> String? {
        guard let address else { return nil }
        var scalars: [Unicode.Scalar] = []
        var pendingSpace = false
        for scalar in address.unicodeScalars {
            var value = scalar.value
            if value == 0x3000 { value = 0x20 }
            if value >= 0xFF01 && value <= 0xFF5E { value -= 0xFEE0 }
            guard let mapped = Unicode.Scalar(value) else { continue }
            if mapped.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            if mapped.isASCII {
                scalars.append((0x41...0x5A).contains(mapped.value) ? Unicode.Scalar(UInt8(mapped.value) + 0x20) : mapped)
            } else {
                scalars.append(contentsOf: mapped.properties.lowercaseMapping.unicodeScalars)
            }
        }
        while let last = scalars.last, last.isPunctuation || last.properties.isWhitespace { scalars.removeLast() }
        guard !scalars.isEmpty else { return nil }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    /// The great-circle distance between two points in metres (haversine formula).
    public static func distance(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians
        let dLon = (lon2 - lon1) * radians
        let a = sin(dLat / 2) * sin(dLat / 2)
            + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadius * asin(min(1, sqrt(a)))
    }

    /// A latitude/longitude box that holds every point within `radius` metres of a point (for an
    /// index-friendly pre-filter; the exact test is `distance`).
    public struct Box: Sendable, Hashable {
        public var minLat: Double
        public var maxLat: Double
        public var minLon: Double
        public var maxLon: Double

        public func contains(lat: Double, lon: Double) -> Bool {
            lat >= minLat && lat <= maxLat && lon >= minLon && lon <= maxLon
        }
    }

    public static func box(lat: Double, lon: Double, radius: Double) -> Box {
        let degrees = 180 / Double.pi
        let dLat = radius / earthRadius * degrees * 1.01
        let cosine = max(cos(lat * Double.pi / 180), 0.01)
        let dLon = min(180, dLat / cosine)
        return Box(minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon)
    }
}
