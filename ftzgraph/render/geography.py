"""Where the zones and sub-areas are, for the map view: APPROXIMATE coordinates, curated here.

These are curated facts, not data from the reports: each zone sits at its provincial
capital (Hainan Free Trade Port at the centre of the island) and each sub-area at the
centre of the city or district it lies in, to about 0.1° — good enough to place a node
on a national map, not for anything else.  They belong in data/ with evidence one day;
until then they live here, in one table, and the map view says they are approximate.

Longitude and latitude in degrees (WGS 84), keyed by the local name of the IRI.
"""

from __future__ import annotations

import math

# local name -> (longitude, latitude); approximate city or district centres.
APPROXIMATE_COORDINATES: dict[str, tuple[float, float]] = {
    # zones, at their provincial capitals
    "shanghai": (121.47, 31.23), "tianjin": (117.20, 39.13), "guangdong": (113.26, 23.13),
    "fujian": (119.30, 26.08), "liaoning": (123.43, 41.80), "zhejiang": (120.16, 30.27),
    "henan": (113.63, 34.75), "hubei": (114.31, 30.59), "chongqing": (106.55, 29.56),
    "sichuan": (104.07, 30.57), "shaanxi": (108.94, 34.34), "hainan": (110.35, 20.02),
    "hainan-ftp": (109.75, 19.20), "shandong": (117.00, 36.67), "jiangsu": (118.80, 32.06),
    "guangxi": (108.37, 22.82), "hebei": (114.51, 38.04), "yunnan": (102.83, 24.88),
    "heilongjiang": (126.63, 45.75), "beijing": (116.40, 39.90), "hunan": (112.94, 28.23),
    "anhui": (117.23, 31.82), "xinjiang": (87.62, 43.83),
    # sub-areas, at the city or district they lie in
    "shanghai-waigaoqiao": (121.59, 31.33), "shanghai-waigaoqiao-logistics": (121.62, 31.36),
    "shanghai-yangshan": (122.06, 30.62), "shanghai-pudong-airport": (121.80, 31.15),
    "shanghai-lujiazui": (121.50, 31.24), "shanghai-jinqiao": (121.60, 31.26),
    "shanghai-zhangjiang": (121.59, 31.20), "shanghai-lingang": (121.93, 30.90),
    "tianjin-port": (117.79, 38.98), "tianjin-airport": (117.35, 39.13), "tianjin-binhai-cbd": (117.70, 39.02),
    "guangdong-nansha": (113.53, 22.80), "guangdong-qianhai-shekou": (113.90, 22.52), "guangdong-hengqin": (113.53, 22.13),
    "fujian-fuzhou": (119.44, 26.00), "fujian-xiamen": (118.09, 24.48), "fujian-pingtan": (119.79, 25.50),
    "liaoning-shenyang": (123.43, 41.80), "liaoning-dalian": (121.61, 38.91), "liaoning-yingkou": (122.23, 40.67),
    "zhejiang-hangzhou": (120.16, 30.27), "zhejiang-ningbo": (121.55, 29.87), "zhejiang-jinyi": (119.92, 29.18),
    "zhejiang-zhoushan": (122.21, 29.99), "zhejiang-zhoushan-lidao": (122.30, 30.25),
    "zhejiang-zhoushan-north": (122.15, 30.12), "zhejiang-zhoushan-south": (122.10, 29.95),
    "henan-zhengzhou": (113.63, 34.75), "henan-kaifeng": (114.31, 34.80), "henan-luoyang": (112.45, 34.62),
    "hubei-wuhan": (114.31, 30.59), "hubei-xiangyang": (112.14, 32.04), "hubei-yichang": (111.29, 30.69),
    "chongqing-liangjiang": (106.63, 29.72), "chongqing-xiyong": (106.30, 29.58), "chongqing-guoyuan-port": (106.72, 29.63),
    "sichuan-tianfu": (104.07, 30.45), "sichuan-qingbaijiang": (104.25, 30.88), "sichuan-chuannan": (105.44, 28.87),
    "shaanxi-central": (108.94, 34.34), "shaanxi-xian-port": (109.06, 34.36), "shaanxi-yangling": (108.08, 34.27),
    "shandong-jinan": (117.00, 36.67), "shandong-qingdao": (120.38, 36.07), "shandong-yantai": (121.45, 37.46),
    "jiangsu-nanjing": (118.80, 32.06), "jiangsu-suzhou": (120.62, 31.30), "jiangsu-lianyungang": (119.22, 34.60),
    "guangxi-nanning": (108.37, 22.82), "guangxi-qinzhou-port": (108.61, 21.70), "guangxi-chongzuo": (107.36, 22.38),
    "hebei-xiongan": (115.95, 39.03), "hebei-zhengding": (114.57, 38.15), "hebei-caofeidian": (118.46, 39.27),
    "hebei-daxing-airport": (116.41, 39.51),
    "yunnan-kunming": (102.83, 24.88), "yunnan-honghe": (103.94, 22.51), "yunnan-dehong": (97.85, 24.01),
    "heilongjiang-harbin": (126.63, 45.75), "heilongjiang-heihe": (127.50, 50.25), "heilongjiang-suifenhe": (131.15, 44.40),
    "beijing-business": (116.58, 40.05), "beijing-technology": (116.31, 40.05), "beijing-industry": (116.51, 39.80),
    "hunan-changsha": (112.94, 28.23), "hunan-yueyang": (113.13, 29.36), "hunan-chenzhou": (113.01, 25.77),
    "anhui-hefei": (117.23, 31.82), "anhui-wuhu": (118.38, 31.33), "anhui-bengbu": (117.39, 32.92),
    "xinjiang-urumqi": (87.62, 43.83), "xinjiang-kashgar": (75.99, 39.47), "xinjiang-khorgos": (80.42, 44.21),
}

PIXELS_PER_DEGREE = 60.0
CENTRE = (105.0, 35.0)  # the projection's origin, near the middle of China


def coordinates(iri: str) -> tuple[float, float] | None:
    """The approximate (longitude, latitude) of a zone or sub-area, or None if the table lacks it."""
    return APPROXIMATE_COORDINATES.get(iri.rstrip("/").rsplit("/", 1)[-1])


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular at 35°N, in canvas pixels (y grows southwards)."""
    return ((lon - CENTRE[0]) * PIXELS_PER_DEGREE * math.cos(math.radians(CENTRE[1])),
            (CENTRE[1] - lat) * PIXELS_PER_DEGREE)
