import Foundation

extension IntakeRules {
    /// The submission validator's limits under this profile (the contract's, with the profile's clock skew).
    public var submissionLimits: SubmissionLimits {
        var limits = SubmissionLimits.default
        if let skew = futureSkewSeconds, skew >= 0 { limits.futureSkew = TimeInterval(skew) }
        if let days = maxReceivedAgeDays, days > 0 { limits.maxAge = TimeInterval(days) * 86_400 }
        return limits
    }
}
