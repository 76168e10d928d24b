package org.opdeploy.deploy.service;

import java.time.Duration;

/**
 * How a health check ended: healthy or not, after how long and how many attempts, and the reason
 * (the end of the command's output, or the unit that is not active).
 */
public record HealthReport(boolean healthy, int attempts, Duration took, String detail) {}
